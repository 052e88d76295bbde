import Foundation
import VigilTarget

/// Random access to a file's bytes for the binary readers: every read is bounds-checked
/// against the size, so a header that points outside the file is a `BinaryFormatError`.
public protocol ByteSource {
    /// The number of bytes.
    var size: UInt64 { get }
    /// Exactly `count` bytes at `offset`; throws when they are not all inside the source.
    func read(at offset: UInt64, count: Int) throws -> [UInt8]
}

/// A problem with a binary's format: what is wrong and where, for a rule's message.
public struct BinaryFormatError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension ByteSource {
    /// Checks that `count` bytes at `offset` lie inside the source, naming `what` otherwise.
    func checkRange(_ offset: UInt64, _ count: UInt64, _ what: String) throws {
        let (end, overflow) = offset.addingReportingOverflow(count)
        guard !overflow, end <= size else {
            throw BinaryFormatError("\(what) (\(count) bytes at offset \(offset)) lies outside the file (\(size) bytes)")
        }
    }
}

/// Bytes in memory (fixtures, small files).
public struct MemoryByteSource: ByteSource {
    public let bytes: [UInt8]
    public init(_ bytes: [UInt8]) { self.bytes = bytes }
    public var size: UInt64 { UInt64(bytes.count) }
    public func read(at offset: UInt64, count: Int) throws -> [UInt8] {
        try checkRange(offset, UInt64(max(count, 0)), "read")
        let start = Int(offset)
        return Array(bytes[start..<start + count])
    }
}

/// An open file of a target read with `pread`, so a 200 MB kubelet is never read whole.
public struct DescriptorByteSource: ByteSource {
    public let file: TargetFile
    public let size: UInt64

    /// The source of `file`, its size as the target gives it.
    public init(_ file: TargetFile) throws {
        self.file = file
        do { size = UInt64(max(try file.size(), 0)) } catch { throw BinaryFormatError("cannot stat: \(error)") }
    }

    public func read(at offset: UInt64, count: Int) throws -> [UInt8] {
        try checkRange(offset, UInt64(max(count, 0)), "read")
        var buffer = [UInt8](repeating: 0, count: count)
        let done = try buffer.withUnsafeMutableBytes { try file.fill($0, at: Int64(offset)) }
        guard done == count else {
            throw BinaryFormatError("read failed at offset \(offset + UInt64(done)): file shorter than its size or unreadable")
        }
        return buffer
    }
}
