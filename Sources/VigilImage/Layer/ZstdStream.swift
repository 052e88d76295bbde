import CZstd
import Foundation

/// Decompresses a zstd stream as it is read: any number of frames one after another,
/// skippable frames passed over. A frame may not ask for a window over 128 MiB
/// (`windowLogMax`), so a hostile header cannot make the scanner allocate gigabytes.
final class ZstdStream: ByteStream {
    /// log2 of the largest window a frame may use (27: 128 MiB; zstd's own default limit).
    static let windowLogMax: Int32 = 27

    private let inner: ByteStream
    private let dctx: OpaquePointer
    private let input: UnsafeMutableRawBufferPointer
    private var inBuffer = ZSTD_inBuffer(src: nil, size: 0, pos: 0)
    private var inputEnded = false
    /// zstd's last hint: 0 when the last frame is complete and flushed.
    private var lastHint = 1
    /// Compressed bytes read from `inner` so far.
    private var readSoFar: Int64 = 0

    init(_ inner: ByteStream) throws {
        self.inner = inner
        guard let dctx = ZSTD_createDCtx() else { throw LayerFault("zstd cannot start (out of memory)") }
        self.dctx = dctx
        input = .allocate(byteCount: layerChunkSize, alignment: 16)
        inBuffer.src = UnsafeRawPointer(input.baseAddress)
        ZSTD_DCtx_setParameter(dctx, ZSTD_d_windowLogMax, Self.windowLogMax)
    }

    deinit {
        ZSTD_freeDCtx(dctx)
        input.deallocate()
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard buffer.count > 0 else { return 0 }
        var out = ZSTD_outBuffer(dst: buffer.baseAddress, size: buffer.count, pos: 0)
        while true {
            if inBuffer.pos == inBuffer.size && !inputEnded { try refill() }
            let noInput = inBuffer.pos == inBuffer.size
            // 0 from zstd: the last frame is decoded and flushed; nothing follows it.
            if noInput && lastHint == 0 { return 0 }
            let hint = ZSTD_decompressStream(dctx, &out, &inBuffer)
            try check(hint)
            lastHint = hint
            if out.pos > 0 { return out.pos }
            if noInput {
                throw LayerFault("truncated: the zstd stream ends inside a frame (after \(consumed) compressed bytes)")
            }
        }
    }

    /// Compressed bytes zstd has taken so far.
    private var consumed: Int64 { readSoFar - Int64(inBuffer.size - inBuffer.pos) }

    private func check(_ code: Int) throws {
        guard ZSTD_isError(code) != 0 else { return }
        let name = String(cString: ZSTD_getErrorName(code))
        var message = "corrupt zstd data at compressed byte \(consumed): \(name)"
        if name.contains("memory") || name.lowercased().contains("window") {
            message += " (a frame's window may be at most \((1 << Self.windowLogMax) >> 20) MiB, windowLogMax "
                + "\(Self.windowLogMax); this one asks for more)"
        }
        throw LayerFault(message)
    }

    private func refill() throws {
        let n = try inner.read(into: input)
        if n == 0 { inputEnded = true }
        readSoFar += Int64(n)
        inBuffer.size = n
        inBuffer.pos = 0
    }
}
