import Foundation

/// The members of an outer tar archive (an oci-archive or docker-archive), indexed once by a
/// minimal header walker (ustar names with prefix, GNU long names and links, PAX `path`,
/// `linkpath` and `size`), so that blobs are read where they lie, never extracted. Regular
/// files only are located; symbolic and hard links between members are followed within the
/// archive. This walker reads the outer archive only; layer tars are the layer reader's.
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
        var walker = TarHeaderWalker(file: file, image: image, limits: limits)
        members = try walker.walk()
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

/// Reads tar headers one after another with `pread` (see `ArchiveIndex`).
struct TarHeaderWalker {
    let file: ImageFile
    let image: String
    let limits: ImageLimits
    private var fileSize: Int64 = 0

    init(file: ImageFile, image: String, limits: ImageLimits) {
        self.file = file
        self.image = image
        self.limits = limits
    }

    private func fail(_ why: String) -> ImageError { ImageError(image: image, message: "\(file.path): \(why)") }

    mutating func walk() throws(ImageError) -> [String: ArchiveIndex.Member] {
        var info = stat()
        guard fstat(file.fd, &info) == 0 else { throw fail("cannot stat: \(String(cString: strerror(errno)))") }
        fileSize = Int64(info.st_size)
        try refuseCompressed()
        var members: [String: ArchiveIndex.Member] = [:]
        var offset: Int64 = 0
        var longName: String?, longLink: String?, pax: [String: String] = [:]
        while let header = try header(at: offset) {
            let type = header[156]
            let isExtension = [UInt8(ascii: "L"), UInt8(ascii: "K"), UInt8(ascii: "x"), UInt8(ascii: "g")].contains(type)
            var size = try fieldSize(header, at: offset)
            if !isExtension, let paxSize = pax["size"].flatMap({ Int64($0) }) { size = paxSize }
            let dataOffset = offset + 512
            guard size >= 0, dataOffset + size <= fileSize else { throw fail("truncated tar member at byte \(offset)") }
            offset = dataOffset + (size + 511) / 512 * 512
            switch type {
            case UInt8(ascii: "L"): longName = try longText(at: dataOffset, size: size)
            case UInt8(ascii: "K"): longLink = try longText(at: dataOffset, size: size)
            case UInt8(ascii: "x"): pax = try paxRecords(at: dataOffset, size: size)
            case UInt8(ascii: "g"): break
            default:
                let rawName = pax["path"] ?? longName ?? TarHeaderWalker.headerName(header)
                let link = pax["linkpath"] ?? longLink ?? TarHeaderWalker.string(header[157..<257])
                longName = nil; longLink = nil; pax = [:]
                guard members.count < limits.maxEntries else { throw fail("more than \(limits.maxEntries) members") }
                guard let name = ArchiveIndex.normalize(rawName), !name.isEmpty else { continue }
                switch type {
                case UInt8(ascii: "0"), 0, UInt8(ascii: "7"): members[name] = .file(offset: dataOffset, length: size)
                case UInt8(ascii: "1"): members[name] = .hardlink(target: link)
                case UInt8(ascii: "2"): members[name] = .symlink(target: link)
                default: break
                }
            }
        }
        return members
    }

    /// The 512-byte header at `offset`, checked; nil at the end-of-archive block.
    private func header(at offset: Int64) throws(ImageError) -> [UInt8]? {
        guard offset + 512 <= fileSize else { throw fail("truncated tar archive (no end-of-archive block)") }
        let header = try read(at: offset, count: 512)
        if header.allSatisfy({ $0 == 0 }) { return nil }
        guard TarHeaderWalker.checksumMatches(header) else {
            throw fail(offset == 0 ? "not a tar archive" : "corrupt tar header at byte \(offset)")
        }
        return header
    }

    private func fieldSize(_ header: [UInt8], at offset: Int64) throws(ImageError) -> Int64 {
        guard let raw = TarHeaderWalker.number(header[124..<136]), raw < UInt64(Int64.max / 2) else {
            throw fail("bad size in tar header at byte \(offset)")
        }
        return Int64(raw)
    }

    /// A gzip or zstd stream is not a tar archive that can be read in place.
    private func refuseCompressed() throws(ImageError) {
        guard fileSize >= 4 else { return }
        let magic = try read(at: 0, count: 4)
        if magic[0] == 0x1F && magic[1] == 0x8B {
            throw fail("the archive is gzip-compressed; Vigil reads archives in place: decompress it first (gunzip)")
        }
        if magic == [0x28, 0xB5, 0x2F, 0xFD] {
            throw fail("the archive is zstd-compressed; Vigil reads archives in place: decompress it first (zstd -d)")
        }
    }

    private func longText(at offset: Int64, size: Int64) throws(ImageError) -> String {
        guard size <= Int64(limits.maxHeaderBytes) else { throw fail("long name header over \(limits.maxHeaderBytes) bytes") }
        return TarHeaderWalker.string(try read(at: offset, count: Int(size))[...])
    }

    /// PAX extended header records: `LEN key=value\n`.
    private func paxRecords(at offset: Int64, size: Int64) throws(ImageError) -> [String: String] {
        guard size <= Int64(limits.maxHeaderBytes) else { throw fail("PAX header over \(limits.maxHeaderBytes) bytes") }
        let bytes = try read(at: offset, count: Int(size))
        var out: [String: String] = [:]
        var i = 0
        while i < bytes.count, bytes[i] != 0 {
            guard let space = bytes[i...].firstIndex(of: UInt8(ascii: " ")),
                  let length = Int(String(decoding: bytes[i..<space], as: UTF8.self)), length > space - i,
                  i + length <= bytes.count else { throw fail("malformed PAX header") }
            let record = bytes[(space + 1)..<(i + length - 1)]
            if let eq = record.firstIndex(of: UInt8(ascii: "=")) {
                out[String(decoding: record[..<eq], as: UTF8.self)] = String(decoding: record[(eq + 1)...], as: UTF8.self)
            }
            i += length
        }
        return out
    }

    private func read(at offset: Int64, count: Int) throws(ImageError) -> [UInt8] {
        try ImageStore.read(file, at: offset, count: count, image: image)
    }

    /// ustar: `prefix/name` when the magic is POSIX ustar; else the name field alone.
    static func headerName(_ header: [UInt8]) -> String {
        let name = string(header[0..<100])
        guard Array(header[257..<263]) == Array("ustar\0".utf8) else { return name }
        let prefix = string(header[345..<500])
        return prefix.isEmpty ? name : prefix + "/" + name
    }

    static func string(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }

    /// An octal field, or a base-256 one (first byte 0x80) as GNU writes large sizes.
    static func number(_ field: ArraySlice<UInt8>) -> UInt64? {
        if let first = field.first, first & 0x80 != 0 {
            var value: UInt64 = UInt64(first & 0x7F)
            for byte in field.dropFirst() {
                guard value >> 55 == 0 else { return nil }
                value = value << 8 | UInt64(byte)
            }
            return value
        }
        let digits = field.drop { $0 == 0x20 }.prefix { $0 >= 0x30 && $0 <= 0x37 }
        return digits.reduce(UInt64(0)) { $0 << 3 | UInt64($1 - 0x30) }
    }

    static func checksumMatches(_ header: [UInt8]) -> Bool {
        guard let stored = number(header[148..<156]) else { return false }
        var sum: UInt64 = 0
        for (i, byte) in header.enumerated() { sum += (148..<156).contains(i) ? 0x20 : UInt64(byte) }
        return sum == stored
    }
}
