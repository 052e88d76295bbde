import Foundation

/// What a Go binary's build information block holds: the runtime version (`go1.22.5`,
/// `go1.19.8 X:boringcrypto`) and the module information text, framing removed (empty
/// when built without module support).
public struct GoBuildInfoBlob: Sendable, Equatable {
    public var version: String
    public var moduleInfo: String
    /// How it was stored: "inline" (Go 1.18+) or "pointer" (Go 1.13–1.17).
    public var format: String
    /// Where it was found: ".go.buildinfo" or "writable segment" (section headers stripped).
    public var location: String
}

/// Finds and decodes Go's build information in an ELF file, as Go's `debug/buildinfo`
/// does: the `.go.buildinfo` section, else the first writable, non-executable segment; the
/// 16-byte-aligned magic `\xff Go buildinf:` in its first 64 KiB; then either varint-length
/// strings inline (flag 2) or two pointers to Go string headers.
public enum GoBuildInfoReader {
    static let magic: [UInt8] = [0xff] + Array(" Go buildinf:".utf8)
    /// How far into the data the magic is looked for.
    public static let searchWindow = 64 << 10
    /// The longest version or module information string accepted.
    public static let maxStringLength = 4 << 20

    /// The build information, nil when the file is ELF but holds none (not a Go binary).
    /// Throws `BinaryFormatError` when the block is found but malformed.
    /// Address arithmetic wraps (`&+`): a wrapped address simply maps to no segment.
    public static func read(_ elf: ELFImage) throws -> GoBuildInfoBlob? {
        let location: String
        let start: UInt64
        if let s = elf.section(named: ".go.buildinfo"), !s.hasNoBits {
            (location, start) = (".go.buildinfo", s.addr)
        } else if let seg = elf.segments.first(where: { $0.isLoad && $0.isWritable && !$0.isExecutable }) {
            (location, start) = ("writable segment", seg.vaddr)
        } else {
            return nil
        }
        guard let data = try elf.readMemory(start, upTo: searchWindow), let at = alignedMagic(in: data) else { return nil }
        let headerAddress = start &+ UInt64(at)
        let ptrSize = Int(data[at + 14])
        let flags = data[at + 15]
        let version: String
        var modinfo: [UInt8]
        let format: String
        if flags & 2 != 0 {
            format = "inline"
            var cursor = headerAddress &+ 32
            version = String(decoding: try inlineString(elf, &cursor, "runtime version"), as: UTF8.self)
            modinfo = try inlineString(elf, &cursor, "module information")
        } else {
            format = "pointer"
            guard ptrSize == 4 || ptrSize == 8 else {
                throw BinaryFormatError("Go build information at 0x\(hex(headerAddress)) gives pointer size \(ptrSize), not 4 or 8")
            }
            let fields = FieldReader(Array(data[at + 16..<at + 32]), bigEndian: flags & 1 != 0)
            let pointer = { (i: Int) in ptrSize == 8 ? fields.u64(i * 8) : UInt64(fields.u32(i * 4)) }
            version = String(decoding: try pointedString(elf, pointer(0), ptrSize: ptrSize, bigEndian: flags & 1 != 0, "runtime version"), as: UTF8.self)
            modinfo = try pointedString(elf, pointer(1), ptrSize: ptrSize, bigEndian: flags & 1 != 0, "module information")
        }
        guard !version.isEmpty else { throw BinaryFormatError("Go build information at 0x\(hex(headerAddress)) has an empty runtime version") }
        return GoBuildInfoBlob(version: version, moduleInfo: stripFraming(modinfo), format: format, location: location)
    }

    /// The offset of the first 16-byte-aligned magic with a whole 32-byte header after it.
    static func alignedMagic(in data: [UInt8]) -> Int? {
        var i = 0
        while i + 32 <= data.count {
            if data[i] == 0xff && Array(data[i..<i + magic.count]) == magic { return i }
            i += 16
        }
        return nil
    }

    /// Module information is framed by two 16-byte sentinels, the last after a newline.
    static func stripFraming(_ bytes: [UInt8]) -> String {
        guard bytes.count >= 33, bytes[bytes.count - 17] == UInt8(ascii: "\n") else { return "" }
        return String(decoding: bytes[16..<bytes.count - 16], as: UTF8.self)
    }

    private static func inlineString(_ elf: ELFImage, _ cursor: inout UInt64, _ what: String) throws -> [UInt8] {
        guard let head = try elf.readMemory(cursor, upTo: 10), !head.isEmpty else {
            throw BinaryFormatError("Go build information: the \(what) at 0x\(hex(cursor)) lies outside the file")
        }
        guard let (length, width) = uvarint(head) else {
            throw BinaryFormatError("Go build information: malformed length of the \(what) at 0x\(hex(cursor))")
        }
        cursor &+= UInt64(width)
        return try bytesString(elf, cursor, length, what, advance: &cursor)
    }

    private static func pointedString(_ elf: ELFImage, _ address: UInt64, ptrSize: Int, bigEndian: Bool, _ what: String) throws -> [UInt8] {
        guard let header = try elf.readMemory(address, upTo: 2 * ptrSize), header.count == 2 * ptrSize else {
            throw BinaryFormatError("Go build information: the \(what) pointer 0x\(hex(address)) lies outside the file's segments")
        }
        let r = FieldReader(header, bigEndian: bigEndian)
        let (data, length) = ptrSize == 8 ? (r.u64(0), r.u64(8)) : (UInt64(r.u32(0)), UInt64(r.u32(4)))
        var ignored: UInt64 = 0
        return try bytesString(elf, data, length, what, advance: &ignored)
    }

    private static func bytesString(_ elf: ELFImage, _ address: UInt64, _ length: UInt64, _ what: String, advance: inout UInt64) throws -> [UInt8] {
        guard length <= UInt64(maxStringLength) else {
            throw BinaryFormatError("Go build information: the \(what) claims \(length) bytes (limit \(maxStringLength))")
        }
        guard length > 0 else { return [] }
        guard let bytes = try elf.readMemory(address, upTo: Int(length)), bytes.count == Int(length) else {
            throw BinaryFormatError("Go build information: the \(what) (\(length) bytes at 0x\(hex(address))) lies outside the file's segments")
        }
        advance = address &+ length
        return bytes
    }

    /// A Go `binary.Uvarint`: value and bytes used, nil when malformed or over 64 bits.
    static func uvarint(_ bytes: [UInt8]) -> (UInt64, Int)? {
        var value: UInt64 = 0
        for (i, b) in bytes.prefix(10).enumerated() {
            if i == 9 && b > 1 { return nil }
            value |= UInt64(b & 0x7f) << (7 * UInt64(i))
            if b < 0x80 { return (value, i + 1) }
        }
        return nil
    }

    static func hex(_ v: UInt64) -> String { String(v, radix: 16) }
}
