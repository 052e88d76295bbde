#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A D-Bus value, as the wire protocol types it.
indirect enum SystemdBusValue: Sendable, Equatable {
    case byte(UInt8)
    case boolean(Bool)
    case int16(Int16)
    case uint16(UInt16)
    case int32(Int32)
    case uint32(UInt32)
    case int64(Int64)
    case uint64(UInt64)
    case double(Double)
    case string(String)
    case objectPath(String)
    case signature(String)
    case unixFD(UInt32)
    /// Elements with the signature of one element.
    case array(elementSignature: String, [SystemdBusValue])
    case structure([SystemdBusValue])
    case dictEntry(SystemdBusValue, SystemdBusValue)
    case variant(SystemdBusValue)

    /// The value's type signature.
    var signature: String {
        switch self {
        case .byte: return "y"
        case .boolean: return "b"
        case .int16: return "n"
        case .uint16: return "q"
        case .int32: return "i"
        case .uint32: return "u"
        case .int64: return "x"
        case .uint64: return "t"
        case .double: return "d"
        case .string: return "s"
        case .objectPath: return "o"
        case .signature: return "g"
        case .unixFD: return "h"
        case .array(let e, _): return "a" + e
        case .structure(let fields): return "(" + fields.map(\.signature).joined() + ")"
        case .dictEntry(let k, let v): return "{" + k.signature + v.signature + "}"
        case .variant: return "v"
        }
    }

    /// The text OpenSCAP's `dbus_value_to_string` gives: basic values as C formats them,
    /// arrays as their elements' texts joined with ", ", nil for structures, dict entries
    /// and variants (and for an array none of whose elements has a text).
    var openSCAPText: String? {
        switch self {
        case .byte(let b): return b == 0 ? "" : String(UnicodeScalar(b))
        case .boolean(let b): return b ? "true" : "false"
        case .int16(let v): return String(v)
        case .uint16(let v): return String(v)
        case .int32(let v): return String(v)
        case .uint32(let v): return String(v)
        case .int64(let v): return String(v)
        case .uint64(let v): return String(v)
        case .double(let v): return SystemdBusValue.formatG(v)
        case .string(let s), .objectPath(let s), .signature(let s): return s
        case .unixFD: return "error, unknown basic type!"
        case .array(_, let elements):
            let texts = elements.compactMap(\.openSCAPText)
            return texts.isEmpty ? nil : texts.joined(separator: ", ")
        case .structure, .dictEntry, .variant: return nil
        }
    }

    /// C's `%g`.
    static func formatG(_ v: Double) -> String {
        var buf = [CChar](repeating: 0, count: 64)
        let n = withVaList([v]) { vsnprintf(&buf, buf.count, "%g", $0) }
        guard n > 0 else { return String(v) }
        return String(decoding: buf.prefix(Int(n)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// A D-Bus protocol error or malformed data.
struct SystemdBusError: Error, CustomStringConvertible, Sendable {
    let description: String
    init(_ description: String) { self.description = description }
}

/// One D-Bus message and its wire encoding (version 1 protocol).
struct SystemdBusMessage: Sendable, Equatable {
    enum Kind: UInt8, Sendable { case methodCall = 1, methodReturn = 2, error = 3, signal = 4 }
    var kind: Kind
    var flags: UInt8 = 0
    var serial: UInt32
    var path: String?
    var interface: String?
    var member: String?
    var errorName: String?
    var replySerial: UInt32?
    var destination: String?
    var sender: String?
    var body: [SystemdBusValue] = []

    /// The message as bytes, little-endian.
    func encoded() -> [UInt8] {
        var fields: [SystemdBusValue] = []
        func field(_ code: UInt8, _ v: SystemdBusValue?) {
            if let v { fields.append(.structure([.byte(code), .variant(v)])) }
        }
        field(1, path.map { .objectPath($0) })
        field(2, interface.map { .string($0) })
        field(3, member.map { .string($0) })
        field(4, errorName.map { .string($0) })
        field(5, replySerial.map { .uint32($0) })
        field(6, destination.map { .string($0) })
        field(7, sender.map { .string($0) })
        let bodySignature = body.map(\.signature).joined()
        if !bodySignature.isEmpty { field(8, .signature(bodySignature)) }

        var bodyWriter = SystemdBusWriter()
        for v in body { bodyWriter.write(v) }
        var w = SystemdBusWriter()
        w.bytes += [UInt8(ascii: "l"), kind.rawValue, flags, 1]
        w.write(.uint32(UInt32(bodyWriter.bytes.count)))
        w.write(.uint32(serial))
        w.write(.array(elementSignature: "(yv)", fields))
        w.pad(to: 8)
        return w.bytes + bodyWriter.bytes
    }

    /// Bytes needed for the whole message whose first 16 bytes are `head`, or nil when
    /// the header is malformed.
    static func totalLength(head: [UInt8]) -> Int? {
        guard head.count >= 16, let little = endianness(head[0]) else { return nil }
        var r = SystemdBusReader(bytes: head, littleEndian: little)
        r.offset = 4
        guard let bodyLength = try? r.readUInt32(), (try? r.readUInt32()) != nil,
              let fieldsLength = try? r.readUInt32() else { return nil }
        let headerEnd = 16 + Int(fieldsLength)
        let padded = (headerEnd + 7) & ~7
        let total = padded + Int(bodyLength)
        return total <= 128 * 1024 * 1024 ? total : nil
    }

    private static func endianness(_ b: UInt8) -> Bool? {
        b == UInt8(ascii: "l") ? true : (b == UInt8(ascii: "B") ? false : nil)
    }

    /// Decodes a whole message.
    static func decode(_ bytes: [UInt8]) throws -> SystemdBusMessage {
        guard bytes.count >= 16, let little = endianness(bytes[0]) else { throw SystemdBusError("bad message header") }
        guard let kind = Kind(rawValue: bytes[1]) else { throw SystemdBusError("unknown message type \(bytes[1])") }
        var r = SystemdBusReader(bytes: bytes, littleEndian: little)
        r.offset = 4
        let bodyLength = Int(try r.readUInt32())
        let serial = try r.readUInt32()
        var m = SystemdBusMessage(kind: kind, flags: bytes[2], serial: serial)
        var bodySignature = ""
        guard case .array(_, let fields) = try r.read(signature: "a(yv)") else { throw SystemdBusError("bad header fields") }
        for f in fields {
            guard case .structure(let pair) = f, pair.count == 2, case .byte(let code) = pair[0],
                  case .variant(let v) = pair[1] else { continue }
            switch (code, v) {
            case (1, .objectPath(let s)): m.path = s
            case (2, .string(let s)): m.interface = s
            case (3, .string(let s)): m.member = s
            case (4, .string(let s)): m.errorName = s
            case (5, .uint32(let u)): m.replySerial = u
            case (6, .string(let s)): m.destination = s
            case (7, .string(let s)): m.sender = s
            case (8, .signature(let s)): bodySignature = s
            default: break
            }
        }
        r.align(8)
        guard r.offset + bodyLength <= bytes.count else { throw SystemdBusError("truncated body") }
        var types = try SystemdBusReader.splitSignature(bodySignature)[...]
        while let t = types.popFirst() { m.body.append(try r.read(signature: t)) }
        return m
    }
}

/// Writes D-Bus values with the protocol's alignment (offsets from message start).
struct SystemdBusWriter {
    var bytes: [UInt8] = []

    mutating func pad(to n: Int) {
        while bytes.count % n != 0 { bytes.append(0) }
    }

    private mutating func le<T: FixedWidthInteger>(_ v: T) {
        pad(to: MemoryLayout<T>.size)
        withUnsafeBytes(of: v.littleEndian) { bytes += $0 }
    }

    mutating func write(_ v: SystemdBusValue) {
        switch v {
        case .byte(let b): bytes.append(b)
        case .boolean(let b): le(UInt32(b ? 1 : 0))
        case .int16(let x): le(x)
        case .uint16(let x): le(x)
        case .int32(let x): le(x)
        case .uint32(let x), .unixFD(let x): le(x)
        case .int64(let x): le(x)
        case .uint64(let x): le(x)
        case .double(let d): le(d.bitPattern)
        case .string(let s), .objectPath(let s):
            let u = Array(s.utf8)
            le(UInt32(u.count)); bytes += u; bytes.append(0)
        case .signature(let s):
            let u = Array(s.utf8)
            bytes.append(UInt8(truncatingIfNeeded: u.count)); bytes += u; bytes.append(0)
        case .array(let elementSignature, let elements):
            le(UInt32(0))
            let lengthAt = bytes.count - 4
            pad(to: SystemdBusReader.alignment(of: elementSignature))
            let start = bytes.count
            for e in elements { write(e) }
            let length = UInt32(bytes.count - start).littleEndian
            withUnsafeBytes(of: length) { raw in
                for (i, b) in raw.enumerated() { bytes[lengthAt + i] = b }
            }
        case .structure(let fields):
            pad(to: 8)
            for f in fields { write(f) }
        case .dictEntry(let k, let value):
            pad(to: 8)
            write(k); write(value)
        case .variant(let inner):
            write(.signature(inner.signature))
            write(inner)
        }
    }
}

/// Reads D-Bus values from a whole message (offsets from message start).
struct SystemdBusReader {
    let bytes: [UInt8]
    let littleEndian: Bool
    var offset = 0
    private var depth = 0

    init(bytes: [UInt8], littleEndian: Bool) {
        self.bytes = bytes
        self.littleEndian = littleEndian
    }

    static func alignment(of signature: String) -> Int {
        switch signature.first {
        case "n", "q": return 2
        case "b", "i", "u", "h", "s", "o", "a": return 4
        case "x", "t", "d", "(", "{": return 8
        default: return 1
        }
    }

    mutating func align(_ n: Int) {
        offset = (offset + n - 1) / n * n
    }

    private mutating func take(_ n: Int) throws -> ArraySlice<UInt8> {
        guard n >= 0, offset + n <= bytes.count else { throw SystemdBusError("message too short") }
        defer { offset += n }
        return bytes[offset..<(offset + n)]
    }

    private mutating func integer<T: FixedWidthInteger>(_: T.Type) throws -> T {
        align(MemoryLayout<T>.size)
        let raw = try take(MemoryLayout<T>.size)
        var v: T = 0
        for (i, b) in raw.enumerated() {
            let shift = littleEndian ? i * 8 : (raw.count - 1 - i) * 8
            v |= T(truncatingIfNeeded: b) << shift
        }
        return v
    }

    mutating func readUInt32() throws -> UInt32 { try integer(UInt32.self) }

    private mutating func text() throws -> String {
        let n = Int(try readUInt32())
        let s = try take(n)
        _ = try take(1)
        return String(decoding: s, as: UTF8.self)
    }

    /// Splits a signature into its complete types.
    static func splitSignature(_ signature: String) throws -> [String] {
        let chars = Array(signature)
        var out: [String] = []
        var i = 0
        func complete(_ start: Int) throws -> Int {
            guard start < chars.count else { throw SystemdBusError("bad signature \(signature)") }
            switch chars[start] {
            case "a": return try complete(start + 1)
            case "(", "{":
                let close: Character = chars[start] == "(" ? ")" : "}"
                var j = start + 1
                while j < chars.count && chars[j] != close { j = try complete(j) }
                guard j < chars.count else { throw SystemdBusError("bad signature \(signature)") }
                return j + 1
            case "y", "b", "n", "q", "i", "u", "x", "t", "d", "s", "o", "g", "h", "v": return start + 1
            default: throw SystemdBusError("bad signature \(signature)")
            }
        }
        while i < chars.count {
            let end = try complete(i)
            out.append(String(chars[i..<end]))
            i = end
        }
        return out
    }

    /// Reads one value of a complete type.
    mutating func read(signature: String) throws -> SystemdBusValue {
        depth += 1
        defer { depth -= 1 }
        guard depth < 64, let first = signature.first else { throw SystemdBusError("bad or too deep signature") }
        switch first {
        case "y": return .byte(try take(1).first ?? 0)
        case "b": return .boolean(try readUInt32() != 0)
        case "n": return .int16(try integer(Int16.self))
        case "q": return .uint16(try integer(UInt16.self))
        case "i": return .int32(try integer(Int32.self))
        case "u": return .uint32(try readUInt32())
        case "h": return .unixFD(try readUInt32())
        case "x": return .int64(try integer(Int64.self))
        case "t": return .uint64(try integer(UInt64.self))
        case "d": return .double(Double(bitPattern: try integer(UInt64.self)))
        case "s": return .string(try text())
        case "o": return .objectPath(try text())
        case "g": return .signature(try signatureText())
        case "v":
            let inner = try signatureText()
            guard try SystemdBusReader.splitSignature(inner).count == 1 else { throw SystemdBusError("bad variant") }
            return .variant(try read(signature: inner))
        case "a":
            let element = String(signature.dropFirst())
            let length = Int(try readUInt32())
            align(SystemdBusReader.alignment(of: element))
            let end = offset + length
            guard end <= bytes.count else { throw SystemdBusError("array past end") }
            var elements: [SystemdBusValue] = []
            while offset < end { elements.append(try read(signature: element)) }
            return .array(elementSignature: element, elements)
        case "(", "{":
            align(8)
            let inner = try SystemdBusReader.splitSignature(String(signature.dropFirst().dropLast()))
            var fields: [SystemdBusValue] = []
            for t in inner { fields.append(try read(signature: t)) }
            if first == "{" {
                guard fields.count == 2 else { throw SystemdBusError("bad dict entry") }
                return .dictEntry(fields[0], fields[1])
            }
            return .structure(fields)
        default:
            throw SystemdBusError("bad signature \(signature)")
        }
    }

    private mutating func signatureText() throws -> String {
        let n = Int(try take(1).first ?? 0)
        let s = try take(n)
        _ = try take(1)
        return String(decoding: s, as: UTF8.self)
    }
}
