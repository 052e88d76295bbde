import Foundation

/// The tar reader's view of its stream: a 1 MiB buffer it takes headers from and hands
/// content out of in place (no copy), and the offset in the stream of the next byte.
final class TarInput {
    private let stream: ByteStream
    private let buffer: UnsafeMutableRawBufferPointer
    private var start = 0
    private var end = 0
    private var streamEnded = false
    /// The offset in the stream of the next byte to be taken.
    private(set) var position: Int64 = 0

    init(_ stream: ByteStream) {
        self.stream = stream
        buffer = .allocate(byteCount: layerChunkSize, alignment: 16)
    }

    deinit { buffer.deallocate() }

    /// Takes the next `count` bytes (`count` at most the buffer's size) into `out`; fewer
    /// only at the end of the stream, returning how many.
    func take(_ count: Int, into out: UnsafeMutableRawBufferPointer) throws -> Int {
        precondition(count <= buffer.count && count <= out.count)
        while end - start < count && !streamEnded { try fill() }
        let got = min(count, end - start)
        out.baseAddress!.copyMemory(from: buffer.baseAddress! + start, byteCount: got)
        start += got
        position += Int64(got)
        return got
    }

    /// Takes the next `count` bytes, handing them to `sink` in chunks as they lie in the
    /// buffer; returns how many were taken (fewer than `count` only at the end of the stream).
    @discardableResult
    func pass(_ count: Int64, to sink: ((UnsafeRawBufferPointer) throws -> Void)?) throws -> Int64 {
        var left = count
        while left > 0 {
            if start == end {
                if streamEnded { break }
                if sink == nil, left >= Int64(buffer.count), let skippable = stream as? SkippableStream {
                    let skipped = try skippable.skip(left)
                    if skipped == 0 { streamEnded = true }
                    position += skipped
                    left -= skipped
                    continue
                }
                try fill()
                continue
            }
            let n = Int(min(Int64(end - start), left))
            if let sink { try sink(UnsafeRawBufferPointer(rebasing: buffer[start..<(start + n)])) }
            start += n
            position += Int64(n)
            left -= Int64(n)
        }
        return count - left
    }

    /// Passes over the rest of the stream (skipped when it can be); returns how many bytes
    /// there were.
    @discardableResult
    func drain() throws -> Int64 {
        var total: Int64 = 0
        while true {
            total += Int64(end - start)
            position += Int64(end - start)
            start = end
            if streamEnded { return total }
            if let skippable = stream as? SkippableStream {
                let skipped = try skippable.skip(.max)
                if skipped == 0 { streamEnded = true }
                total += skipped
                position += skipped
                continue
            }
            try fill()
        }
    }

    /// Reads more from the stream after what is buffered (moved to the front first).
    private func fill() throws {
        if start == end {
            start = 0
            end = 0
        } else if end == buffer.count {
            let held = end - start
            memmove(buffer.baseAddress!, buffer.baseAddress! + start, held)
            start = 0
            end = held
        }
        let n = try stream.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[end...]))
        if n == 0 { streamEnded = true }
        end += n
    }
}
