/// Bounds on the XML Vigil parses, checked before libxml2 sees a byte: libxml2 2.9
/// checks an element's attributes for duplicates pair by pair, so one element with
/// 100 000 attributes costs minutes; a bounded count keeps every parse linear.
public enum XMLLimits {
    /// The largest XML document read from a file, compressed or not, once inflated
    /// (128 MiB: five times the largest SCAP Security Guide data stream).
    public static let maxDocumentBytes = 128 << 20
    /// The most attributes (namespace declarations included) one element may have.
    public static let maxAttributesPerElement = 256

    /// Throws when an element of `bytes` has more than `maxAttributesPerElement`
    /// attributes, naming the line it starts on. One linear pass over the bytes that
    /// knows where markup starts and ends (comments, CDATA sections, processing
    /// instructions, the DOCTYPE with its internal subset, quoted attribute values);
    /// well-formedness is libxml2's to judge.
    public static func check(_ bytes: UnsafeBufferPointer<UInt8>, label: String) throws {
        let n = bytes.count
        var i = 0, line = 1
        let lt = UInt8(ascii: "<"), gt = UInt8(ascii: ">"), nl = UInt8(ascii: "\n")
        let bang = UInt8(ascii: "!"), question = UInt8(ascii: "?"), slash = UInt8(ascii: "/")
        let dq = UInt8(ascii: "\""), sq = UInt8(ascii: "'"), eq = UInt8(ascii: "=")

        func has(_ s: String, at j: Int) -> Bool {
            var k = j
            for c in s.utf8 {
                guard k < n, bytes[k] == c else { return false }
                k += 1
            }
            return true
        }
        /// Moves `i` past the next `end`, counting lines.
        func skip(past end: String) {
            let first = end.utf8.first!
            while i < n {
                if bytes[i] == first && has(end, at: i) { i += end.utf8.count; return }
                if bytes[i] == nl { line += 1 }
                i += 1
            }
        }
        /// Moves `i` past the `>` that closes a declaration, skipping quoted literals.
        func skipDeclaration() {
            var quote: UInt8 = 0
            while i < n {
                let c = bytes[i]
                i += 1
                if c == nl { line += 1 }
                if quote != 0 { if c == quote { quote = 0 } } else if c == dq || c == sq { quote = c } else if c == gt { return }
            }
        }
        /// Moves `i` past a DOCTYPE, its internal subset included.
        func skipDoctype() {
            var quote: UInt8 = 0
            while i < n {
                let c = bytes[i]
                if quote != 0 {
                    if c == quote { quote = 0 }
                } else if c == dq || c == sq {
                    quote = c
                } else if c == UInt8(ascii: "[") {
                    i += 1
                    internalSubset()
                    continue
                } else if c == gt {
                    i += 1
                    return
                }
                if c == nl { line += 1 }
                i += 1
            }
        }
        func internalSubset() {
            while i < n {
                if has("<!--", at: i) { i += 4; skip(past: "-->"); continue }
                if has("<?", at: i) { i += 2; skip(past: "?>"); continue }
                if has("<!", at: i) { i += 2; skipDeclaration(); continue }
                if bytes[i] == UInt8(ascii: "]") { i += 1; return }
                if bytes[i] == nl { line += 1 }
                i += 1
            }
        }

        while i < n {
            let c = bytes[i]
            if c == nl { line += 1; i += 1; continue }
            guard c == lt, i + 1 < n else { i += 1; continue }
            let next = bytes[i + 1]
            if next == bang {
                if has("<!--", at: i) { i += 4; skip(past: "-->") }
                else if has("<![CDATA[", at: i) { i += 9; skip(past: "]]>") }
                else { i += 2; skipDoctype() }
            } else if next == question {
                i += 2
                skip(past: "?>")
            } else if next == slash {
                i += 2
                skip(past: ">")
            } else {
                // A start tag: every attribute has exactly one '=' outside quotes.
                let start = line
                var attributes = 0, quote: UInt8 = 0
                i += 1
                var end = i
                while end < n, end - i < 200, !" \t\r\n/>".utf8.contains(bytes[end]) { end += 1 }
                let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[i..<end]), as: UTF8.self)
                while i < n {
                    let b = bytes[i]
                    i += 1
                    if b == nl { line += 1 }
                    if quote != 0 {
                        if b == quote { quote = 0 }
                    } else if b == dq || b == sq {
                        quote = b
                    } else if b == eq {
                        attributes += 1
                        if attributes > maxAttributesPerElement {
                            throw XMLError(file: label, line: start,
                                           message: "element <\(name)> has more than \(maxAttributesPerElement) attributes; refused (the limit keeps parsing fast)")
                        }
                    } else if b == gt || b == lt {
                        if b == lt { i -= 1 }
                        break
                    }
                }
            }
        }
    }
}
