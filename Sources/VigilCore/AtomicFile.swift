import Foundation

/// Writes a file so that a reader sees the old content or the new, never a part: a
/// temporary file in the same directory, written, given its mode, synced, then renamed
/// over the target, and the directory synced.
public enum AtomicFile {
    /// What temporary files are named with; a directory that `vigil watch` writes is
    /// cleared of such leftovers (`removeLeftovers(in:)`) when it starts.
    public static let temporaryMarker = ".vigil-tmp-"

    /// Writes `bytes` to `path` atomically with `mode` (0640 by default).
    public static func write(_ bytes: some Collection<UInt8>, to path: String, mode: mode_t = 0o640) throws {
        let bytes = Array(bytes)
        try write(to: path, mode: mode) { sink in try bytes.withUnsafeBytes { try sink($0) } }
    }

    /// Writes what `body` hands its sink, piece by piece, to `path` atomically with `mode`:
    /// when `body` throws, the file is left as it was and the error rethrown.
    public static func write(to path: String, mode: mode_t = 0o640,
                             _ body: ((UnsafeRawBufferPointer) throws -> Void) throws -> Void) throws {
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent().path
        var template = Array((dir + "/." + url.lastPathComponent + temporaryMarker + "XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw AtomicFileError(path: path, operation: "create a temporary file beside it", errno: errno) }
        let temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        var renamed = false
        defer {
            if !renamed { unlink(temporary) }
        }
        do {
            defer { close(fd) }
            guard fchmod(fd, mode) == 0 else { throw AtomicFileError(path: path, operation: "set its mode", errno: errno) }
            try body { try writeAll(fd, $0, path: path) }
            guard fsync(fd) == 0 else { throw AtomicFileError(path: path, operation: "sync it", errno: errno) }
        }
        guard rename(temporary, path) == 0 else { throw AtomicFileError(path: path, operation: "rename it into place", errno: errno) }
        renamed = true
        let dirFD = open(dir, O_RDONLY | O_DIRECTORY)
        if dirFD >= 0 {
            fsync(dirFD)
            close(dirFD)
        }
    }

    /// The mode a new file gets from `open(2)` with 0666 under this process's umask (read
    /// from /proc/self/status: setting the umask to learn it would race other threads).
    public static var umaskedMode: mode_t {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("Umask:") }
        let mask = line.flatMap { mode_t($0.dropFirst(6).trimmingCharacters(in: .whitespaces), radix: 8) } ?? 0o022
        return 0o666 & ~mask
    }

    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws {
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw AtomicFileError(path: path, operation: "write it", errno: errno) }
            offset += n
        }
    }

    /// Removes the temporary files an interrupted write left in `dir`.
    public static func removeLeftovers(in dir: String) {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] where name.contains(temporaryMarker) {
            unlink(dir + "/" + name)
        }
    }
}

/// A file that could not be written atomically: the step that failed and why.
public struct AtomicFileError: Error, CustomStringConvertible {
    public let path: String
    public let operation: String
    public let errno: Int32

    public var description: String { "cannot write \(path): cannot \(operation): \(String(cString: strerror(errno)))" }
}
