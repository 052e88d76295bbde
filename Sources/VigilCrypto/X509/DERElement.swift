/// One DER element (tag, length, content) inside a byte array, read without copying: just
/// enough of X.690 to walk a certificate's outer structure (definite lengths only).
struct DERElement {
    var tag: UInt8
    /// Where the whole element (header included) and its content lie in the array.
    var whole: Range<Int>
    var content: Range<Int>

    /// The element starting at `offset`, which must end by `limit`; nil when malformed.
    static func read(_ bytes: [UInt8], at offset: Int, limit: Int) -> DERElement? {
        guard offset + 2 <= limit, limit <= bytes.count else { return nil }
        let tag = bytes[offset]
        guard tag & 0x1F != 0x1F else { return nil }  // multi-byte tags do not occur here
        var length = Int(bytes[offset + 1])
        var start = offset + 2
        if length & 0x80 != 0 {
            let count = length & 0x7F
            guard count >= 1, count <= 4, start + count <= limit else { return nil }
            length = bytes[start..<start + count].reduce(0) { $0 << 8 | Int($1) }
            start += count
        }
        guard length <= limit - start else { return nil }
        return DERElement(tag: tag, whole: offset..<start + length, content: start..<start + length)
    }

    /// The elements directly inside this one (a SEQUENCE's members); nil when malformed.
    func children(_ bytes: [UInt8]) -> [DERElement]? {
        var out: [DERElement] = []
        var offset = content.lowerBound
        while offset < content.upperBound {
            guard let e = DERElement.read(bytes, at: offset, limit: content.upperBound) else { return nil }
            out.append(e)
            offset = e.whole.upperBound
        }
        return out
    }
}
