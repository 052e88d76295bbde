import Foundation

/// The files of an image's layout or archive, by their path inside it: an OCI layout
/// directory, or a tar archive indexed in place (oci-archive, docker-archive).
enum ImageStore {
    case directory(String)
    case archive(ArchiveIndex)

    /// Where the file `relative` is, or nil when there is none. `relative` must stay inside
    /// the layout or archive: an absolute path or one climbing out with `..` is an error.
    func location(of relative: String, image: String) throws(ImageError) -> BlobLocation? {
        guard !relative.hasPrefix("/"), let name = ArchiveIndex.normalize(relative), !name.isEmpty,
              !relative.split(separator: "/").contains("..") else {
            throw ImageError(image: image, message: "path '\(relative)' leaves the image's layout or archive")
        }
        switch self {
        case .archive(let index):
            return index.location(of: name)
        case .directory(let root):
            let path = root + "/" + name
            guard FileManager.default.fileExists(atPath: path) else { return nil }
            let file = try ImageStore.openFile(path, image: image)
            var info = stat()
            guard fstat(file.fd, &info) == 0 else { return nil }
            return BlobLocation(file: file, offset: 0, length: Int64(info.st_size))
        }
    }

    /// Opens a regular file read-only (close-on-exec). The file is looked at before it is
    /// opened for reading: a FIFO would block the open, and a device's open has effects of
    /// its own, so anything but a regular file is refused unopened.
    static func openFile(_ path: String, image: String) throws(ImageError) -> ImageFile {
        func failure(_ why: String) -> ImageError { ImageError(image: image, message: "cannot open \(path): \(why)") }
        var before = stat()
        guard stat(path, &before) == 0 else { throw failure(String(cString: strerror(errno))) }
        guard before.st_mode & S_IFMT == S_IFREG else {
            throw ImageError(image: image, message: "\(path) is not a regular file")
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
        guard fd >= 0 else { throw failure(String(cString: strerror(errno))) }
        let file = ImageFile(fd: fd, path: path)
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_ino == before.st_ino,
              info.st_dev == before.st_dev else {
            throw ImageError(image: image, message: "\(path) is not a regular file (or changed while it was opened)")
        }
        return file
    }

    /// Exactly `count` bytes of `file` from `offset`; an error when it ends before.
    static func read(_ file: ImageFile, at offset: Int64, count: Int, image: String) throws(ImageError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let n = out.withUnsafeMutableBytes { pread(file.fd, $0.baseAddress! + done, count - done, off_t(offset) + off_t(done)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                let why = n < 0 ? String(cString: strerror(errno)) : "unexpected end of file"
                throw ImageError(image: image, message: "read of \(file.path) at byte \(offset + Int64(done)) failed: \(why)")
            }
            done += n
        }
        return out
    }
}
