#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Bounds on the XML Vigil parses, checked before libxml2 sees a byte: libxml2 2.9
/// checks an element's attributes for duplicates pair by pair, so one element with
/// 100 000 attributes costs minutes; a bounded count keeps every parse linear.
package enum XMLLimits {
    /// The largest XML document read from a file, compressed or not, once inflated
    /// (128 MiB: five times the largest SCAP Security Guide data stream).
    package static let maxDocumentBytes = 128 << 20
    /// The most attributes (namespace declarations included) one element may have.
    package static let maxAttributesPerElement = 256
    /// The most elements, attributes, comments, processing instructions and CDATA
    /// sections a document may hold together: each becomes a node of libxml2's tree,
    /// about 100 bytes or more, so 128 MiB of `<e/>` would otherwise take gigabytes.
    /// The largest SCAP Security Guide data stream holds about 320 000.
    package static let maxNodes = 2_000_000

    /// Throws when an element of `bytes` has more than `maxAttributesPerElement`
    /// attributes or the document more than `maxNodes` nodes, naming the line. One linear pass over the bytes that
    /// knows where markup starts and ends (comments, CDATA sections, processing
    /// instructions, the DOCTYPE with its internal subset, quoted attribute values);
    /// well-formedness is libxml2's to judge. It jumps with `memchr`, so that even a
    /// debug build checks a 24 MB data stream in a fraction of a second.
    package static func check(_ bytes: UnsafeBufferPointer<UInt8>, label: String) throws {
        guard let base = bytes.baseAddress else { return }
        let end = base + bytes.count
        var p = base
        var nodes = 0
        while let lt = find(UInt8(ascii: "<"), from: p, to: end) {
            p = lt + 1
            guard p < end else { return }
            if p.pointee != UInt8(ascii: "/") {
                nodes += 1
                if nodes > maxNodes { throw tooLarge(lt, base, label: label) }
            }
            switch p.pointee {
            case UInt8(ascii: "!"):
                if has("!--", at: p, end) { p = past("-->", from: p + 3, to: end) }
                else if has("![CDATA[", at: p, end) { p = past("]]>", from: p + 8, to: end) }
                else { p = pastDeclaration(p + 1, end, internalSubset: true) }
            case UInt8(ascii: "?"):
                p = past("?>", from: p + 1, to: end)
            case UInt8(ascii: "/"):
                p = past(">", from: p, to: end)
            default:
                // A start tag: every attribute has exactly one '=' outside quotes.
                var attributes = 0
                var q = p
                scan: while q < end {
                    switch q.pointee {
                    case UInt8(ascii: "\""), UInt8(ascii: "'"):
                        guard let close = find(q.pointee, from: q + 1, to: end) else { q = end; break scan }
                        q = close + 1
                        continue scan
                    case UInt8(ascii: "="):
                        attributes += 1
                        if attributes > maxAttributesPerElement { throw tooMany(lt, base, end, label: label) }
                        nodes += 1
                        if nodes > maxNodes { throw tooLarge(lt, base, label: label) }
                    case UInt8(ascii: ">"):
                        q += 1
                        break scan
                    case UInt8(ascii: "<"):
                        break scan
                    default:
                        break
                    }
                    q += 1
                }
                p = q
            }
        }
    }

    private static func tooLarge(_ at: UnsafePointer<UInt8>, _ base: UnsafePointer<UInt8>, label: String) -> XMLError {
        XMLError(file: label, line: line(of: at, base),
                 message: "the document holds more than \(maxNodes) elements, attributes and other nodes; refused (the limit bounds memory)")
    }

    private static func line(of at: UnsafePointer<UInt8>, _ base: UnsafePointer<UInt8>) -> Int {
        var line = 1, p = base
        while let nl = find(UInt8(ascii: "\n"), from: p, to: at) { line += 1; p = nl + 1 }
        return line
    }

    private static func tooMany(_ tag: UnsafePointer<UInt8>, _ base: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>,
                                label: String) -> XMLError {
        let line = line(of: tag, base)
        var e = tag + 1
        while e < end, e - tag <= 200, !" \t\r\n/>".utf8.contains(e.pointee) { e += 1 }
        let name = String(decoding: UnsafeBufferPointer(start: tag + 1, count: e - tag - 1), as: UTF8.self)
        return XMLError(file: label, line: line,
                        message: "element <\(name)> has more than \(maxAttributesPerElement) attributes; refused (the limit keeps parsing fast)")
    }

    /// The first `byte` in `from..<to`.
    private static func find(_ byte: UInt8, from: UnsafePointer<UInt8>, to: UnsafePointer<UInt8>) -> UnsafePointer<UInt8>? {
        guard from < to, let hit = memchr(from, Int32(byte), to - from) else { return nil }
        return UnsafePointer(hit.assumingMemoryBound(to: UInt8.self))
    }

    private static func has(_ s: StaticString, at p: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> Bool {
        s.utf8CodeUnitCount <= end - p && memcmp(p, s.utf8Start, s.utf8CodeUnitCount) == 0
    }

    /// Just past the next `marker` at or after `from`, or `to`.
    private static func past(_ marker: StaticString, from: UnsafePointer<UInt8>, to end: UnsafePointer<UInt8>) -> UnsafePointer<UInt8> {
        var p = from
        while let hit = find(marker.utf8Start.pointee, from: p, to: end) {
            if has(marker, at: hit, end) { return hit + marker.utf8CodeUnitCount }
            p = hit + 1
        }
        return end
    }

    /// Just past a declaration's closing `>` (`from` is after `<!`), skipping quoted
    /// literals and, for a DOCTYPE (`internalSubset`), its internal subset of declarations,
    /// comments and processing instructions.
    private static func pastDeclaration(_ from: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>,
                                        internalSubset: Bool = false) -> UnsafePointer<UInt8> {
        var p = from
        while p < end {
            let c = p.pointee
            if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                guard let close = find(c, from: p + 1, to: end) else { return end }
                p = close + 1
                continue
            }
            p += 1
            if c == UInt8(ascii: ">") { return p }
            guard internalSubset, c == UInt8(ascii: "[") else { continue }
            // The internal subset, up to its ']'.
            while p < end && p.pointee != UInt8(ascii: "]") {
                if has("<!--", at: p, end) { p = past("-->", from: p + 4, to: end) }
                else if has("<?", at: p, end) { p = past("?>", from: p + 2, to: end) }
                else if has("<!", at: p, end) { p = pastDeclaration(p + 2, end) }
                else { p += 1 }
            }
            p += 1
        }
        return end
    }
}
