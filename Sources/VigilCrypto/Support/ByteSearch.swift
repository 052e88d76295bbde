import Foundation

/// Finding byte strings in a file's bytes (version banners, embedded paths): `memchr` for
/// the first byte, then a compare.
enum ByteSearch {
    /// The offset of the first `needle` in `hay` at or after `from`, or nil.
    static func find(_ needle: [UInt8], in hay: [UInt8], from: Int) -> Int? {
        guard let first = needle.first, from >= 0, hay.count >= needle.count, from <= hay.count - needle.count else { return nil }
        return hay.withUnsafeBufferPointer { h -> Int? in
            needle.withUnsafeBufferPointer { n -> Int? in
                guard let base = h.baseAddress, let nb = n.baseAddress else { return nil }
                var i = from
                while i + n.count <= h.count {
                    guard let p = memchr(base + i, Int32(first), h.count - i - n.count + 1) else { return nil }
                    let at = UnsafeRawPointer(p) - UnsafeRawPointer(base)
                    if memcmp(base + at, nb, n.count) == 0 { return at }
                    i = at + 1
                }
                return nil
            }
        }
    }
}
