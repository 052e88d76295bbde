import Foundation

/// A regular file of a target, open for reading: a descriptor and the run of bytes in it
/// that is the file. On the host and an offline root the descriptor is the file itself
/// (`start` 0, read to its end); on an image it is the layer or spool the file's bytes lie
/// in. Reads go at explicit offsets (`pread`), so one descriptor serves many readers.
public struct TargetFile: Sendable {
    /// The open descriptor; valid only inside `Target.withOpenFile`'s body.
    public let fd: Int32
    /// Where the file's first byte is in `fd`.
    public let start: Int64
    /// The file's size when the target knows it; nil: read until the descriptor's end.
    public let length: Int64?
    /// The path inside the target, for messages.
    public let path: String

    public init(fd: Int32, start: Int64 = 0, length: Int64? = nil, path: String) {
        self.fd = fd
        self.start = start
        self.length = length
        self.path = path
    }

    /// The file's size: `length`, else what `fstat` says of the descriptor.
    public func size() throws -> Int64 {
        if let length { return length }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw TargetError(path: path, message: "cannot stat: \(TargetFailure(errno))") }
        return Int64(st.st_size)
    }

    /// Reads up to `buffer.count` bytes at `offset` in the file; fewer (0) at its end.
    /// Interrupted reads are retried; a failure, or an offset before the file, throws.
    public func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws -> Int {
        guard offset >= 0 else { throw TargetError(path: path, message: "cannot read at offset \(offset)") }
        var count = buffer.count
        if let length { count = Int(max(0, min(Int64(count), length - offset))) }
        guard count > 0, let base = buffer.baseAddress else { return 0 }
        while true {
            let n = pread(fd, base, count, off_t(start + offset))
            if n >= 0 { return n }
            if errno != EINTR { throw TargetError(path: path, message: "cannot read: \(TargetFailure(errno))") }
        }
    }

    /// Fills `buffer` from `offset` on, reading until it is full or the file ends; how many
    /// bytes it holds (fewer than its size only at the end of the file).
    public func fill(_ buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws -> Int {
        var done = 0
        while done < buffer.count {
            let n = try read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[done...]), at: offset + Int64(done))
            if n == 0 { break }
            done += n
        }
        return done
    }

    /// Calls `body` with each chunk of the file from its start to its end, in order.
    public func forEachChunk(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var offset: Int64 = 0
        while true {
            let n = try buffer.withUnsafeMutableBytes { try read(into: $0, at: offset) }
            if n == 0 { return }
            try buffer.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
            offset += Int64(n)
        }
    }
}
