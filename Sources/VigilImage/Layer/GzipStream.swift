import CZlib
import Foundation

/// Inflates a gzip stream as it is read (zlib, gzip framing). Members written one after
/// another (`cat a.gz b.gz`, pigz) continue the stream; anything after the last member that
/// is not another member is an error, and so is a stream that ends inside a member.
final class GzipStream: ByteStream {
    private let inner: ByteStream
    private let z: UnsafeMutablePointer<z_stream>
    private let input: UnsafeMutableRawBufferPointer
    private var inputEnded = false
    /// True between the end of one member and the start of the next.
    private var betweenMembers = false
    private var finished = false
    /// How many compressed bytes came before the unconsumed input (for messages).
    private var consumedBefore: Int64 = 0

    init(_ inner: ByteStream) throws {
        self.inner = inner
        z = .allocate(capacity: 1)
        z.initialize(to: z_stream())
        input = .allocate(byteCount: layerChunkSize, alignment: 16)
        guard inflateInit2_(z, 16 + MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            z.deallocate()
            input.deallocate()
            throw LayerFault("zlib cannot start inflating (out of memory)")
        }
    }

    deinit {
        inflateEnd(z)
        z.deallocate()
        input.deallocate()
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard !finished, let out = buffer.baseAddress, buffer.count > 0 else { return 0 }
        z.pointee.next_out = out.assumingMemoryBound(to: Bytef.self)
        z.pointee.avail_out = uInt(buffer.count)
        while true {
            if z.pointee.avail_in == 0 && !inputEnded { try refill() }
            if betweenMembers {
                guard try startNextMember() else {
                    finished = true
                    return buffer.count - Int(z.pointee.avail_out)
                }
            }
            let status = inflate(z, Z_NO_FLUSH)
            let produced = buffer.count - Int(z.pointee.avail_out)
            switch status {
            case Z_STREAM_END:
                betweenMembers = true
                if produced > 0 { return produced }
            case Z_OK, Z_BUF_ERROR:
                if produced > 0 { return produced }
                if z.pointee.avail_in == 0 && inputEnded {
                    throw LayerFault("truncated: the gzip stream ends inside a member (after \(consumed) compressed bytes)")
                }
            case Z_MEM_ERROR:
                throw LayerFault("zlib ran out of memory inflating the gzip stream")
            default:
                let text = z.pointee.msg.map { String(cString: $0) } ?? "error \(status)"
                throw LayerFault("corrupt gzip data at compressed byte \(consumed): \(text)")
            }
        }
    }

    /// How many compressed bytes inflate has taken so far.
    private var consumed: Int64 { consumedBefore - Int64(z.pointee.avail_in) }

    /// Moves the unconsumed input to the front and reads more after it.
    private func refill() throws {
        let left = Int(z.pointee.avail_in)
        if left > 0, let from = z.pointee.next_in, let base = input.baseAddress {
            memmove(base, from, left)
        }
        let n = try inner.read(into: UnsafeMutableRawBufferPointer(rebasing: input[left...]))
        if n == 0 { inputEnded = true }
        consumedBefore += Int64(n)
        z.pointee.next_in = input.baseAddress!.assumingMemoryBound(to: Bytef.self)
        z.pointee.avail_in = uInt(left + n)
    }

    /// After a member's end: true when another member follows (zlib reset for it), false
    /// at the end of the input; anything else after the last member is an error.
    private func startNextMember() throws -> Bool {
        while z.pointee.avail_in < 2 && !inputEnded { try refill() }
        if z.pointee.avail_in == 0 { return false }
        let next = z.pointee.next_in!
        guard z.pointee.avail_in >= 2, next[0] == 0x1F, next[1] == 0x8B else {
            throw LayerFault("data after the end of the gzip stream (at compressed byte \(consumed)): "
                             + "not another gzip member")
        }
        guard inflateReset(z) == Z_OK else { throw LayerFault("zlib cannot restart for the next gzip member") }
        betweenMembers = false
        return true
    }
}
