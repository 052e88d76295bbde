import Foundation

/// The members of an outer tar archive (an oci-archive or docker-archive), indexed once with
/// the layer reader's `TarReader` (ustar, GNU and PAX headers, contents skipped), so that
/// blobs are read where they lie, never extracted. Regular files only are located;
/// symbolic and hard links between members are followed within the archive.
struct ArchiveIndex {
    /// Where a member's content is, or which member it links to.
    enum Member {
        case file(offset: Int64, length: Int64)
        case symlink(target: String)
        case hardlink(target: String)
    }

    let file: ImageFile
    let members: [String: Member]

    /// Indexes the tar archive at `path`; `image` names the image in errors.
    init(path: String, image: String, limits: ImageLimits) throws(ImageError) {
        let file = try ImageStore.openFile(path, image: image)
        self.file = file
        members = try TarHeaderWalker(file: file, image: image, limits: limits).walk()
    }

    /// The member called `name` (relative, normalised), following links inside the archive;
    /// nil when there is none or a link leads out of the archive or round in circles.
    func location(of name: String) -> BlobLocation? {
        var current = name
        for _ in 0..<16 {
            switch members[current] {
            case .file(let offset, let length)?:
                return BlobLocation(file: file, offset: offset, length: length)
            case .hardlink(let target)?:
                guard let next = ArchiveIndex.normalize(target) else { return nil }
                current = next
            case .symlink(let target)?:
                let base = current.split(separator: "/").dropLast().joined(separator: "/")
                guard !target.hasPrefix("/"), let next = ArchiveIndex.normalize(base + "/" + target) else { return nil }
                current = next
            case nil:
                return nil
            }
        }
        return nil
    }

    /// `name` without `./`, empty components and trailing slashes, with `..` resolved; nil
    /// when it climbs above the archive's root.
    static func normalize(_ name: String) -> String? {
        var parts: [Substring] = []
        for part in name.split(separator: "/") where part != "." {
            if part == ".." {
                guard parts.popLast() != nil else { return nil }
            } else {
                parts.append(part)
            }
        }
        return parts.joined(separator: "/")
    }
}

/// Walks an outer archive's headers with the layer reader's `TarReader` over the file
/// itself: members' contents are skipped, never read, and their offsets kept.
struct TarHeaderWalker {
    let file: ImageFile
    let image: String
    let limits: ImageLimits

    private func fail(_ why: String) -> ImageError { ImageError(image: image, message: "\(file.path): \(why)") }

    func walk() throws(ImageError) -> [String: ArchiveIndex.Member] {
        var info = stat()
        guard fstat(file.fd, &info) == 0 else { throw fail("cannot stat: \(String(cString: strerror(errno)))") }
        let size = Int64(info.st_size)
        try refuseCompressed(size: size)
        let reader = TarReader(BlobStream(BlobLocation(file: file, offset: 0, length: size)), limits: limits)
        var members: [String: ArchiveIndex.Member] = [:]
        var read = 0
        do {
            while let next = try reader.next() {
                read += 1
                guard members.count < limits.maxEntries else { throw fail("more than \(limits.maxEntries) members") }
                let entry = next.entry
                guard let name = ArchiveIndex.normalize(entry.path), !name.isEmpty else { continue }
                switch entry.kind {
                case .regular: members[name] = .file(offset: next.dataOffset, length: entry.size)
                case .hardlink: members[name] = .hardlink(target: entry.linkName)
                case .symlink: members[name] = .symlink(target: entry.linkName)
                default: break
                }
            }
        } catch let error as ImageError {
            throw error
        } catch let fault as LayerFault {
            throw fail(read == 0 ? "not a tar archive: \(fault.message)" : fault.message)
        } catch {
            throw fail("\(error)")
        }
        return members
    }

    /// A gzip or zstd stream is not a tar archive that can be read in place.
    private func refuseCompressed(size: Int64) throws(ImageError) {
        guard size >= 4 else { return }
        let magic = try ImageStore.read(file, at: 0, count: 4, image: image)
        if magic[0] == 0x1F && magic[1] == 0x8B {
            throw fail("the archive is gzip-compressed; Vigil reads archives in place: decompress it first (gunzip)")
        }
        if magic == [0x28, 0xB5, 0x2F, 0xFD] {
            throw fail("the archive is zstd-compressed; Vigil reads archives in place: decompress it first (zstd -d)")
        }
    }
}
