#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file that could not be read as input (content, tailoring, rule or waiver file).
package struct InputFileError: Error, CustomStringConvertible, Sendable {
    package let file: String
    package let message: String

    package init(file: String, message: String) {
        self.file = file
        self.message = message
    }

    package var description: String { "\(file): \(message)" }
}

/// Reads the files a user gives Vigil as input. Only regular files are opened for
/// reading: a FIFO, socket or device would block or never end, so it is refused
/// before a byte is read, as is a file larger than the caller's limit.
package enum InputFile {
    /// What kind of file `path` is (following symbolic links); nil when it does not exist.
    package static func kind(_ path: String) -> String? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return describe(st.st_mode)
    }

    /// Whether `path` is a regular file (following symbolic links).
    package static func isRegular(_ path: String) -> Bool { kind(path) == "a regular file" }

    /// The bytes of the regular file at `path`, at most `limit` of them.
    package static func read(_ path: String, limit: Int) throws -> [UInt8] {
        let (fd, size) = try openRegular(path, limit: limit)
        defer { close(fd) }
        var out: [UInt8] = []
        out.reserveCapacity(size)
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = try readChunk(fd, into: &chunk, path: path)
            if n == 0 { break }
            out.append(contentsOf: chunk[0..<n])
            // The file may grow while it is read.
            guard out.count <= limit else {
                throw InputFileError(file: path, message: "is more than the limit of \(limit) bytes")
            }
        }
        return out
    }

    /// The regular file at `path` opened for blocking reads (the caller closes it), and
    /// its size, at most `limit`.
    package static func openRegular(_ path: String, limit: Int) throws -> (fd: Int32, size: Int) {
        // A device is not even opened (opening some has effects); the type is checked
        // again on the open file, in case the path changed in between.
        if let what = kind(path), what != "a regular file" { throw notRegular(path, what) }
        // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
        guard fd >= 0 else { throw InputFileError(file: path, message: reason(errno)) }
        var st = stat()
        do {
            guard fstat(fd, &st) == 0 else { throw InputFileError(file: path, message: reason(errno)) }
            let what = describe(st.st_mode)
            guard what == "a regular file" else { throw notRegular(path, what) }
            guard Int(st.st_size) <= limit else {
                throw InputFileError(file: path, message: "is \(Int(st.st_size)) bytes, more than the limit of \(limit) bytes")
            }
        } catch {
            close(fd)
            throw error
        }
        // Back to blocking reads: a regular file never blocks, and some file systems
        // answer EAGAIN to non-blocking reads.
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        return (fd, size: Int(st.st_size))
    }

    /// Reads the next bytes of `fd` into `chunk`, retrying on EINTR: how many (0 at the end).
    package static func readChunk(_ fd: Int32, into chunk: inout [UInt8], path: String) throws -> Int {
        while true {
            let n = chunk.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress, $0.count) }
            if n >= 0 { return n }
            if errno != EINTR { throw InputFileError(file: path, message: reason(errno)) }
        }
    }

    static func notRegular(_ path: String, _ what: String) -> InputFileError {
        InputFileError(file: path, message: "is \(what), not a regular file; Vigil reads content only from regular files")
    }

    static func describe(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFREG: return "a regular file"
        case S_IFDIR: return "a directory"
        case S_IFIFO: return "a FIFO (named pipe)"
        case S_IFSOCK: return "a socket"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFLNK: return "a symbolic link"
        default: return "not a regular file"
        }
    }

    static func reason(_ code: Int32) -> String {
        switch code {
        case ENOENT: return "no such file"
        case EACCES, EPERM: return "permission denied"
        case EISDIR: return "is a directory, not a regular file"
        default: return "cannot be read: \(String(cString: strerror(code)))"
        }
    }
}

private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.read(fd, buffer, count)
    #else
    Darwin.read(fd, buffer, count)
    #endif
}
