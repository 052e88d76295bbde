/// File names as Swift strings without losing a byte. A Linux file name is any sequence
/// of bytes (except "/" and NUL), not necessarily UTF-8; Vigil carries names and paths as
/// `String` and converts them back to bytes for every system call, losslessly:
///
/// - valid UTF-8 becomes its characters;
/// - a byte that is not part of valid UTF-8 becomes the private-use scalar
///   U+10FE00 + byte (U+10FE80...U+10FEFF: such a byte is always 0x80 or above);
/// - a genuine character of that range (four bytes F4 8F BA/BB xx) is escaped the same
///   way, byte by byte, so that decoding is a bijection (as Python's `surrogateescape`,
///   which cannot be used here since a Swift string holds no lone surrogates).
///
/// `display(_:)` gives the form for messages and reports: each escaped byte as `\xNN`.
public enum PathBytes {
    /// The scalar of escaped byte 0x00 (bytes 0x80...0xFF use U+10FE80...U+10FEFF).
    static let escapeBase: UInt32 = 0x10FE00
    static let escapeRange: ClosedRange<UInt32> = 0x10FE80...0x10FEFF

    /// The string for the bytes of a file name or path.
    public static func string<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        if !bytes.contains(where: { $0 >= 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
        let raw = Array(bytes)
        var scalars = String.UnicodeScalarView()
        var i = 0
        while i < raw.count {
            let (scalar, length) = decodeOne(raw, at: i)
            if let scalar, !escapeRange.contains(scalar.value) {
                scalars.append(scalar)
            } else {
                for b in raw[i..<(i + length)] { scalars.append(escaped(b)) }
            }
            i += length
        }
        return String(scalars)
    }

    /// The bytes a string made by `string(_:)` came from (any other string: its UTF-8,
    /// with escaped scalars turned back into their bytes).
    public static func bytes(_ string: String) -> [UInt8] {
        if !mayHoldEscapes(string) { return Array(string.utf8) }
        var out: [UInt8] = []
        out.reserveCapacity(string.utf8.count)
        for scalar in string.unicodeScalars {
            if escapeRange.contains(scalar.value) {
                out.append(UInt8(scalar.value - escapeBase))
            } else {
                out.append(contentsOf: String(scalar).utf8)
            }
        }
        return out
    }

    /// Calls `body` with the NUL-terminated bytes of `path`, for a system call.
    public static func withCString<T>(_ path: String, _ body: (UnsafePointer<CChar>) throws -> T) rethrows -> T {
        if !mayHoldEscapes(path) { return try path.withCString(body) }
        var raw = bytes(path)
        raw.append(0)
        return try raw.withUnsafeBufferPointer { buf in
            try buf.withMemoryRebound(to: CChar.self) { try body($0.baseAddress!) }
        }
    }

    /// `path` for people: each escaped byte written `\xNN` (not reversible; for messages).
    public static func display(_ path: String) -> String {
        guard mayHoldEscapes(path) else { return path }
        var out = ""
        for scalar in path.unicodeScalars {
            if escapeRange.contains(scalar.value) {
                let byte = scalar.value - escapeBase
                let hex = String(byte, radix: 16)
                out += "\\x" + (hex.count < 2 ? "0" + hex : hex)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// `display(path)` shortened for a message: at most `limit` characters, the middle of a
    /// longer path replaced by "...".
    public static func display(_ path: String, limit: Int) -> String {
        let shown = display(path)
        guard shown.count > limit, limit >= 8 else { return shown }
        let keep = (limit - 3) / 2
        return String(shown.prefix(keep)) + "..." + String(shown.suffix(keep))
    }

    /// Whether `string` holds a byte-escape scalar.
    public static func hasEscapes(_ string: String) -> Bool {
        mayHoldEscapes(string) && string.unicodeScalars.contains { escapeRange.contains($0.value) }
    }

    /// False when the string's UTF-8 has no 0xF4 byte, the lead byte of every escape.
    private static func mayHoldEscapes(_ string: String) -> Bool {
        string.utf8.contains(0xF4)
    }

    private static func escaped(_ byte: UInt8) -> Unicode.Scalar {
        Unicode.Scalar(escapeBase + UInt32(byte))!
    }

    /// The scalar of the well-formed UTF-8 sequence at `i` and its length, or nil and 1
    /// when the byte at `i` does not start one (RFC 3629: no overlong forms, surrogates,
    /// or values above U+10FFFF).
    private static func decodeOne(_ b: [UInt8], at i: Int) -> (Unicode.Scalar?, Int) {
        let lead = b[i]
        if lead < 0x80 { return (Unicode.Scalar(lead), 1) }
        let length: Int
        var value: UInt32
        var low: UInt8 = 0x80, high: UInt8 = 0xBF   // allowed range of the second byte
        switch lead {
        case 0xC2...0xDF: length = 2; value = UInt32(lead & 0x1F)
        case 0xE0: length = 3; value = 0; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3; value = UInt32(lead & 0x0F)
        case 0xED: length = 3; value = 0x0D; high = 0x9F
        case 0xF0: length = 4; value = 0; low = 0x90
        case 0xF1...0xF3: length = 4; value = UInt32(lead & 0x07)
        case 0xF4: length = 4; value = 4; high = 0x8F
        default: return (nil, 1)
        }
        guard i + length <= b.count else { return (nil, 1) }
        for k in 1..<length {
            let c = b[i + k]
            let (lo, hi) = k == 1 ? (low, high) : (UInt8(0x80), UInt8(0xBF))
            guard c >= lo && c <= hi else { return (nil, 1) }
            value = value << 6 | UInt32(c & 0x3F)
        }
        guard let scalar = Unicode.Scalar(value) else { return (nil, 1) }
        return (scalar, length)
    }
}
