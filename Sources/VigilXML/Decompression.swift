import CBZip2
import CZlib

/// Compressed content: gzip and bzip2 files are inflated (oscap reads bzip2 data
/// streams; libxml2 alone used to inflate gzip ones with no bound), never to more than
/// a limit, so a small compressed file cannot become an unbounded document. Other
/// compressed or archive formats are named and refused rather than misread as XML.
package enum Decompression {
    /// How `bytes` are compressed, by their leading magic number; nil when they are not.
    package enum Format: String, Sendable {
        case gzip, bzip2, xz, zstd, zip
    }

    package static func format(of bytes: [UInt8]) -> Format? {
        func starts(_ magic: [UInt8]) -> Bool { bytes.count >= magic.count && Array(bytes.prefix(magic.count)) == magic }
        if starts([0x1F, 0x8B]) { return .gzip }
        if starts([0x42, 0x5A, 0x68]) { return .bzip2 }          // "BZh"
        if starts([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]) { return .xz }
        if starts([0x28, 0xB5, 0x2F, 0xFD]) { return .zstd }
        if starts([0x50, 0x4B, 0x03, 0x04]) { return .zip }      // "PK\3\4"
        return nil
    }

    /// `bytes` inflated when they are gzip or bzip2, else unchanged; throws when the
    /// result would exceed `limit` bytes, for other compressed formats and corrupt data.
    package static func inflate(_ bytes: [UInt8], file: String, limit: Int) throws -> [UInt8] {
        guard let format = format(of: bytes) else { return bytes }
        switch format {
        case .gzip: return try gunzip(bytes, file: file, limit: limit)
        case .bzip2: return try bunzip2(bytes, file: file, limit: limit)
        case .xz, .zstd, .zip:
            throw InputFileError(file: file, message: "is \(format.rawValue)-compressed; Vigil reads plain, gzip or bzip2 XML: unpack it first")
        }
    }

    static func tooLarge(_ file: String, _ format: Format, _ limit: Int) -> InputFileError {
        InputFileError(file: file, message: "decompresses (\(format.rawValue)) to more than the limit of \(limit) bytes; refused")
    }

    static let chunk = 1 << 16

    /// gzip, with every member of a multi-member file.
    static func gunzip(_ input: [UInt8], file: String, limit: Int) throws -> [UInt8] {
        var stream = z_stream()
        // 15 + 16: gzip wrapper only.
        guard inflateInit2_(&stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw InputFileError(file: file, message: "cannot start zlib")
        }
        defer { inflateEnd(&stream) }
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: chunk)
        try input.withUnsafeBufferPointer { inp in
            stream.next_in = UnsafeMutablePointer(mutating: inp.baseAddress)
            stream.avail_in = uInt(inp.count)
            while true {
                let status = buffer.withUnsafeMutableBufferPointer { buf -> Int32 in
                    stream.next_out = buf.baseAddress
                    stream.avail_out = uInt(buf.count)
                    return CZlib.inflate(&stream, Z_NO_FLUSH)
                }
                let produced = chunk - Int(stream.avail_out)
                guard out.count + produced <= limit else { throw tooLarge(file, .gzip, limit) }
                out.append(contentsOf: buffer[0..<produced])
                switch status {
                case Z_STREAM_END:
                    // Another member may follow (gzip files may be concatenated); zero
                    // padding after the last one is ignored, as gzip(1) does.
                    let rest = UnsafeBufferPointer(start: stream.next_in, count: Int(stream.avail_in))
                    guard rest.contains(where: { $0 != 0 }) else { return }
                    guard inflateReset(&stream) == Z_OK else { throw InputFileError(file: file, message: "corrupt gzip data") }
                case Z_OK:
                    continue
                case Z_BUF_ERROR where stream.avail_in == 0:
                    throw InputFileError(file: file, message: "gzip data ends too early (truncated file)")
                default:
                    let why = stream.msg.map { String(cString: $0) } ?? "status \(status)"
                    throw InputFileError(file: file, message: "corrupt gzip data: \(why)")
                }
            }
        }
        return out
    }

    /// bzip2, with every stream of a multi-stream file.
    static func bunzip2(_ input: [UInt8], file: String, limit: Int) throws -> [UInt8] {
        var stream = bz_stream()
        guard BZ2_bzDecompressInit(&stream, 0, 0) == BZ_OK else { throw InputFileError(file: file, message: "cannot start bzip2") }
        var open = true
        defer { if open { BZ2_bzDecompressEnd(&stream) } }
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: chunk)
        try input.withUnsafeBufferPointer { inp in
            stream.next_in = UnsafeMutableRawPointer(mutating: inp.baseAddress!).assumingMemoryBound(to: CChar.self)
            stream.avail_in = UInt32(inp.count)
            while true {
                let status = buffer.withUnsafeMutableBufferPointer { buf -> Int32 in
                    stream.next_out = UnsafeMutableRawPointer(buf.baseAddress!).assumingMemoryBound(to: CChar.self)
                    stream.avail_out = UInt32(buf.count)
                    return BZ2_bzDecompress(&stream)
                }
                let produced = chunk - Int(stream.avail_out)
                guard out.count + produced <= limit else { throw tooLarge(file, .bzip2, limit) }
                out.append(contentsOf: buffer[0..<produced])
                switch status {
                case BZ_STREAM_END:
                    guard stream.avail_in > 0 else { return }
                    // Another stream follows: start again where this one ended.
                    let (next, left) = (stream.next_in, stream.avail_in)
                    BZ2_bzDecompressEnd(&stream)
                    open = false
                    stream = bz_stream()
                    guard BZ2_bzDecompressInit(&stream, 0, 0) == BZ_OK else { throw InputFileError(file: file, message: "cannot start bzip2") }
                    open = true
                    stream.next_in = next
                    stream.avail_in = left
                case BZ_OK:
                    if stream.avail_in == 0 && produced == 0 {
                        throw InputFileError(file: file, message: "bzip2 data ends too early (truncated file)")
                    }
                default:
                    throw InputFileError(file: file, message: "corrupt bzip2 data (status \(status))")
                }
            }
        }
        return out
    }
}
