/// One `-----BEGIN LABEL-----` ... `-----END LABEL-----` block of a PEM file: its label,
/// its RFC 1421 headers (`Proc-Type: 4,ENCRYPTED`), its decoded body and the line it starts on.
struct PEMBlock: Sendable {
    var label: String
    var headers: [String]
    var der: [UInt8]
    var line: Int

    /// Whether a legacy `Proc-Type: 4,ENCRYPTED` header marks the body as encrypted.
    var isLegacyEncrypted: Bool { headers.contains { $0.hasPrefix("Proc-Type:") && $0.contains("ENCRYPTED") } }
}

/// Splits PEM text into blocks, reporting broken ones (no END line, a mismatched END,
/// invalid base64) as problems with their line instead of failing the whole file.
enum PEMScanner {
    /// Whether `bytes` holds a PEM BEGIN line at all.
    static func looksLikePEM(_ bytes: [UInt8]) -> Bool {
        let marker = Array("-----BEGIN ".utf8)
        return bytes.withUnsafeBufferPointer { buf in
            guard buf.count >= marker.count else { return false }
            var i = 0
            while i + marker.count <= buf.count {
                if buf[i] == 0x2D && buf[i + 1] == 0x2D && buf[i + 5] == 0x42 && buf[i + 6] == 0x45,
                   marker.indices.allSatisfy({ buf[i + $0] == marker[$0] }) { return true }
                i += 1
            }
            return false
        }
    }

    /// The blocks of `bytes` and the problems met (each "line N: what").
    static func blocks(_ bytes: [UInt8]) -> (blocks: [PEMBlock], problems: [String]) {
        var blocks: [PEMBlock] = []
        var problems = Problems()
        var open: (label: String, line: Int, headers: [String], body: [UInt8], inHeaders: Bool)?
        var lineNumber = 0
        forEachLine(bytes) { line in
            lineNumber += 1
            if let label = boundary(line, "-----BEGIN ") {
                if let o = open { problems.add(o.label, "line \(o.line): '\(o.label)' block has no END line") }
                open = (label, lineNumber, [], [], true)
                return
            }
            guard var o = open else { return }
            open = nil  // `o` alone holds the body: appending to it must not copy it (quadratic)
            if let label = boundary(line, "-----END ") {
                guard label == o.label else {
                    problems.add(o.label, "line \(o.line): '\(o.label)' block ends with END \(label) (line \(lineNumber))")
                    return
                }
                guard let der = Base64.decode(o.body), !der.isEmpty else {
                    problems.add(o.label, "line \(o.line): '\(o.label)' block has invalid base64")
                    return
                }
                blocks.append(PEMBlock(label: o.label, headers: o.headers, der: der, line: o.line))
                return
            }
            if o.inHeaders, line.contains(0x3A) {
                o.headers.append(String(decoding: line, as: UTF8.self))
            } else {
                o.inHeaders = false
                o.body.append(contentsOf: line)
            }
            open = o
        }
        if let o = open { problems.add(o.label, "line \(o.line): '\(o.label)' block is truncated (no END line)") }
        return (blocks, problems.lines)
    }

    /// At most this many problems are kept per label; the rest are counted.
    static let problemsPerLabel = 20

    /// The problems of one scan, kept per label (so that a check reading one label never
    /// loses its problems to another's) up to `problemsPerLabel`, then counted.
    private struct Problems {
        var lines: [String] = []
        var counts: [String: Int] = [:]

        mutating func add(_ label: String, _ line: String) {
            counts[label, default: 0] += 1
            if counts[label]! <= PEMScanner.problemsPerLabel { lines.append(line) }
            if counts[label]! == PEMScanner.problemsPerLabel + 1 { lines.append("'\(label)' blocks: more problems") }
        }
    }

    /// The label of a `-----BEGIN X-----` or `-----END X-----` line, or nil.
    private static func boundary(_ line: ArraySlice<UInt8>, _ prefix: String) -> String? {
        let p = Array(prefix.utf8)
        guard line.count > p.count + 5, line.starts(with: p), line.suffix(5).allSatisfy({ $0 == 0x2D }) else { return nil }
        return String(decoding: line.dropFirst(p.count).dropLast(5), as: UTF8.self)
    }

    /// Calls `body` with each line of `bytes`, without its line ending and trailing blanks.
    private static func forEachLine(_ bytes: [UInt8], _ body: (ArraySlice<UInt8>) -> Void) {
        var start = 0
        let n = bytes.count
        while start < n {
            var end = start
            while end < n && bytes[end] != 0x0A { end += 1 }
            var stop = end
            while stop > start && (bytes[stop - 1] == 0x0D || bytes[stop - 1] == 0x20 || bytes[stop - 1] == 0x09) { stop -= 1 }
            body(bytes[start..<stop])
            start = end + 1
        }
    }
}

/// Standard base64 (RFC 4648) decoding that skips whitespace and refuses anything else.
enum Base64 {
    private static let table: [UInt8] = {
        var t = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() { t[Int(c)] = UInt8(i) }
        return t
    }()

    /// The bytes `text` encodes, or nil when it holds a character outside the alphabet or
    /// padding in the wrong place.
    static func decode<C: Collection>(_ text: C) -> [UInt8]? where C.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(text.count * 3 / 4)
        var acc: UInt32 = 0
        var bits = 0
        var padding = 0
        for c in text {
            if c == 0x20 || c == 0x09 || c == 0x0D || c == 0x0A { continue }
            if c == 0x3D { padding += 1; continue }
            let v = table[Int(c)]
            guard v != 0xFF, padding == 0 else { return nil }
            acc = (acc << 6) | UInt32(v)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8((acc >> UInt32(bits)) & 0xFF))
            }
        }
        guard padding <= 2, bits < 6 else { return nil }
        return out
    }
}
