import Foundation
import VigilTarget

/// The records of a PAX extended header ('x' for the next entry, 'g' for all later ones):
/// `"<length> <key>=<value>\n"`, values kept as raw bytes.
struct PaxRecords {
    /// Key to value, in the order given (a later record of the same key wins).
    private(set) var values: [String: [UInt8]] = [:]

    init() {}

    /// Parses the data of a PAX header.
    init(parsing data: [UInt8]) throws {
        var i = 0
        while i < data.count {
            // Some writers pad the data with NULs: a record never starts with one.
            if data[i] == 0 { break }
            let (key, value, next) = try Self.record(data, at: i)
            if key.hasPrefix("GNU.sparse.") {
                throw LayerFault("sparse files are not supported (PAX record '\(key)' of GNU tar's sparse format)")
            }
            values[key] = value
            i = next
        }
    }

    /// The record at `start`: its key, its value and where the next record starts.
    private static func record(_ data: [UInt8], at start: Int) throws -> (String, [UInt8], Int) {
        var i = start
        var length = 0
        while i < data.count, data[i] >= 0x30, data[i] <= 0x39, i - start < 10 {
            length = length * 10 + Int(data[i] - 0x30)
            i += 1
        }
        guard i > start, i < data.count, data[i] == 0x20, length > i - start + 1, start + length <= data.count,
              data[start + length - 1] == 0x0A else {
            throw LayerFault("corrupt PAX header: malformed record at byte \(start)")
        }
        let body = data[(i + 1)..<(start + length - 1)]
        guard let equals = body.firstIndex(of: 0x3D), equals > body.startIndex else {
            throw LayerFault("corrupt PAX header: record at byte \(start) has no 'key='")
        }
        let key = PathBytes.string(body[..<equals])
        return (key, Array(body[(equals + 1)...]), start + length)
    }

    /// Adds `other`'s records over these; a record with an empty value removes the key
    /// (PAX: an empty value in a global header deletes it).
    mutating func merge(_ other: PaxRecords) {
        for (key, value) in other.values {
            values[key] = value.isEmpty ? nil : value
        }
    }

    /// The total size of keys and values, to bound what global headers accumulate.
    var byteCount: Int {
        values.reduce(0) { $0 + $1.key.utf8.count + $1.value.count }
    }

    subscript(key: String) -> [UInt8]? { values[key] }
}

/// How PAX values are spelled: decimals, times, base64 and percent-encoded names.
enum PaxValue {
    /// A non-negative decimal (`size`, `uid`, `gid`) no larger than `max`.
    static func decimal(_ value: [UInt8], key: String, max: Int64) throws -> Int64 {
        guard !value.isEmpty, value.count <= 19, value.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              let n = Int64(String(decoding: value, as: UTF8.self)), n <= max else {
            throw LayerFault("corrupt PAX header: '\(key)' is not a number in range: "
                             + "'\(String(decoding: value.prefix(40), as: UTF8.self))'")
        }
        return n
    }

    /// A time `[-]seconds[.fraction]`, cut to whole seconds (toward zero).
    static func time(_ value: [UInt8], key: String) throws -> Int64 {
        var digits = value[...]
        let negative = digits.first == 0x2D
        if negative { digits = digits.dropFirst() }
        if let dot = digits.firstIndex(of: 0x2E) {
            let fraction = digits[(dot + 1)...]
            guard fraction.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { throw badTime(value, key) }
            digits = digits[..<dot]
        }
        guard !digits.isEmpty, digits.count <= 18, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              let n = Int64(String(decoding: digits, as: UTF8.self)) else { throw badTime(value, key) }
        return negative ? -n : n
    }

    private static func badTime(_ value: [UInt8], _ key: String) -> LayerFault {
        LayerFault("corrupt PAX header: '\(key)' is not a time: '\(String(decoding: value.prefix(40), as: UTF8.self))'")
    }

    /// Base64 in the standard or the URL alphabet, padding optional (libarchive's xattr values).
    static func base64(_ value: [UInt8], key: String) throws -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(value.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for c in value where c != 0x3D {
            let sextet: UInt8
            switch c {
            case 0x41...0x5A: sextet = c - 0x41
            case 0x61...0x7A: sextet = c - 0x61 + 26
            case 0x30...0x39: sextet = c - 0x30 + 52
            case 0x2B, 0x2D: sextet = 62
            case 0x2F, 0x5F: sextet = 63
            default: throw LayerFault("corrupt PAX header: '\(key)' is not base64")
            }
            accumulator = accumulator << 6 | UInt32(sextet)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        return out
    }

    /// `%XX` sequences turned back into bytes (libarchive's xattr names).
    static func percentDecoded(_ text: String) -> [UInt8] {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x25, i + 2 < bytes.count, let high = hexValue(bytes[i + 1]), let low = hexValue(bytes[i + 2]) {
                out.append(high << 4 | low)
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return out
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x41...0x46: return c - 0x41 + 10
        case 0x61...0x66: return c - 0x61 + 10
        default: return nil
        }
    }
}
