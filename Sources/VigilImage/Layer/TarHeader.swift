import Foundation

/// One 512-byte tar header block as written (ustar, GNU or old V7), its fields decoded but
/// not yet combined with PAX or GNU long-name headers.
struct TarHeader {
    static let blockSize = 512

    /// The name: ustar's prefix and name joined (GNU and V7 headers have no prefix).
    var name: [UInt8]
    var mode: Int64
    var uid: Int64
    var gid: Int64
    var size: Int64
    var modifyTime: Int64
    var typeflag: UInt8
    var linkName: [UInt8]
    var deviceMajor: Int64
    var deviceMinor: Int64

    /// Decodes `block` (512 bytes), checking its checksum first.
    init(_ block: UnsafeRawBufferPointer) throws {
        let b = block.bindMemory(to: UInt8.self)
        try Self.checkSum(b)
        typeflag = b[156]
        let magic = Array(b[257..<265])
        let isUstar = magic.starts(with: Array("ustar\0".utf8))
        var name = Self.string(b[0..<100])
        if isUstar {
            // star writes a 131-byte prefix and "tar\0" at 508; POSIX ustar a 155-byte prefix.
            let star = b[508..<512].elementsEqual(Array("tar\0".utf8))
            let prefix = Self.string(b[345..<(star ? 476 : 500)])
            if !prefix.isEmpty { name = prefix + [0x2F] + name }
        }
        self.name = name
        mode = try Self.number(b[100..<108], "mode")
        uid = try Self.number(b[108..<116], "uid")
        gid = try Self.number(b[116..<124], "gid")
        size = try Self.number(b[124..<136], "size")
        modifyTime = try Self.number(b[136..<148], "mtime")
        linkName = Self.string(b[157..<257])
        let hasDevices = isUstar || magic.starts(with: Array("ustar ".utf8))
        deviceMajor = hasDevices ? try Self.number(b[329..<337], "devmajor") : 0
        deviceMinor = hasDevices ? try Self.number(b[337..<345], "devminor") : 0
    }

    /// True when all 512 bytes are zero (the end-of-archive marker).
    static func isZero(_ block: UnsafeRawBufferPointer) -> Bool {
        block.allSatisfy { $0 == 0 }
    }

    /// The field's bytes up to its first NUL.
    static func string(_ field: Slice<UnsafeBufferPointer<UInt8>>) -> [UInt8] {
        Array(field.prefix { $0 != 0 })
    }

    /// A numeric field: octal digits (spaces and NULs around them allowed, empty = 0), or
    /// GNU's base-256 (first byte 0x80 for a positive number, 0xff for a negative one).
    static func number(_ field: Slice<UnsafeBufferPointer<UInt8>>, _ what: String) throws -> Int64 {
        guard let first = field.first else { return 0 }
        if first & 0x80 != 0 { return try base256(field, what) }
        var value: Int64 = 0
        var digits = field.drop { $0 == 0x20 || $0 == 0 }
        while let last = digits.last, last == 0x20 || last == 0 { digits = digits.dropLast() }
        for c in digits {
            guard c >= 0x30 && c <= 0x37 else {
                throw LayerFault("corrupt tar header: the \(what) field is not an octal number")
            }
            value = value << 3 | Int64(c - 0x30)
        }
        return value
    }

    private static func base256(_ field: Slice<UnsafeBufferPointer<UInt8>>, _ what: String) throws -> Int64 {
        let negative = field.first! & 0x40 != 0
        // Two's complement, big-endian; the first byte keeps its low 7 bits.
        let bytes = [field.first! & 0x7F | (negative ? 0x80 : 0)] + field.dropFirst()
        let fill: UInt8 = negative ? 0xFF : 0
        let significant = bytes.drop { $0 == fill }
        guard significant.count <= 8 else {
            throw LayerFault("corrupt tar header: the \(what) field's base-256 number does not fit 64 bits")
        }
        var value: UInt64 = negative ? .max : 0
        for byte in significant { value = value << 8 | UInt64(byte) }
        let signed = Int64(bitPattern: value)
        guard (signed < 0) == negative || significant.isEmpty else {
            throw LayerFault("corrupt tar header: the \(what) field's base-256 number does not fit 64 bits")
        }
        return signed
    }

    /// The stored checksum must equal the sum of the block's bytes with the checksum field
    /// taken as spaces, as unsigned or (old tars) signed bytes, as GNU tar accepts.
    private static func checkSum(_ b: UnsafeBufferPointer<UInt8>) throws {
        let stored = try number(b[148..<156], "checksum")
        var unsigned: Int64 = 0
        var signed: Int64 = 0
        for i in 0..<blockSize {
            let byte = (148..<156).contains(i) ? 0x20 : b[i]
            unsigned += Int64(byte)
            signed += Int64(Int8(bitPattern: byte))
        }
        guard stored == unsigned || stored == signed else {
            throw LayerFault("corrupt tar header: checksum \(stored) does not match the header's bytes "
                             + "(sum \(unsigned)); the layer is damaged or not a tar stream")
        }
    }
}
