import Foundation

/// The code signatures Go's `crypto/internal/boring/sig` links into linux/amd64 binaries:
/// a two-byte jump over a 5-byte indicator and a fixed 24-byte sequence, the same that
/// rsc.io/goversion's `-crypto` looks for. They survive `-ldflags=-s -w` and `strip`,
/// since they are code, not symbols.
public enum GoCodeMarker: String, Sendable, CaseIterable {
    /// `sig.BoringCrypto`: the BoringCrypto module is linked in.
    case boringCrypto = "BoringCrypto"
    /// `sig.StandardCrypto`: standard Go crypto is linked in.
    case standardCrypto = "StandardCrypto"
    /// `sig.FIPSOnly`: `crypto/tls/fipsonly` is linked in (TLS limited to FIPS settings).
    case fipsOnly = "FIPSOnly"

    static let start: [UInt8] = [0xEB, 0x1D, 0xF4, 0x48, 0xF4, 0x4B, 0xF4]

    var body: [UInt8] {
        switch self {
        case .boringCrypto:
            return [0xB3, 0x32, 0xF5, 0x28, 0x13, 0xA3, 0xB4, 0x50, 0xD4, 0x41, 0xCC, 0x24,
                    0x85, 0xF0, 0x01, 0x45, 0x4E, 0x92, 0x10, 0x1B, 0x1D, 0x2F, 0x19, 0x50]
        case .standardCrypto:
            return [0xBA, 0xEE, 0x4D, 0xFA, 0x98, 0x51, 0xCA, 0x56, 0xA9, 0x11, 0x45, 0xE8,
                    0x3E, 0x99, 0xC5, 0x9C, 0xF9, 0x11, 0xCB, 0x8E, 0x80, 0xDA, 0xF1, 0x2F]
        case .fipsOnly:
            return [0x36, 0x3C, 0xB9, 0xCE, 0x9D, 0x68, 0x04, 0x7D, 0x31, 0xF2, 0x8D, 0x32,
                    0x5D, 0x5C, 0xA5, 0x87, 0x3F, 0x5D, 0x80, 0xCA, 0xF6, 0xD6, 0x15, 0x1B]
        }
    }

    /// The whole signature: start, body, and the `RET` the jump lands on.
    public var signature: [UInt8] { Self.start + body + [0xC3] }

    /// The most bytes of executable segments scanned per binary.
    public static let scanLimit: UInt64 = 1 << 30
    static let chunk = 8 << 20

    /// The markers in the executable segments of an x86-64 ELF file (the only architecture
    /// Go emits them for); empty for others. Reads in chunks, at most `scanLimit` bytes.
    public static func find(in elf: ELFImage) throws -> Set<GoCodeMarker> {
        guard elf.machine == 62 else { return [] }
        var found: Set<GoCodeMarker> = []
        var budget = scanLimit
        let width = start.count + 25
        for s in elf.segments where s.isLoad && s.isExecutable && s.fileSize > 0 {
            try elf.source.checkRange(s.offset, s.fileSize, "executable segment")
            var at: UInt64 = 0
            while at < s.fileSize && budget > 0 {
                let n = Int(min(UInt64(chunk), s.fileSize - at, budget))
                let bytes = try elf.source.read(at: s.offset + at, count: n)
                found.formUnion(scan(bytes))
                if found.count == allCases.count { return found }
                budget -= UInt64(n)
                // Overlap so that a signature across two chunks is seen.
                at += UInt64(n) >= s.fileSize - at ? UInt64(n) : UInt64(max(n - width, 1))
            }
        }
        return found
    }

    /// The markers whose whole signature occurs in `bytes`. Looks for `0xF4` (HLT, rare in
    /// compiled code) at the signature's third byte with `memchr`, then compares.
    static func scan(_ bytes: [UInt8]) -> Set<GoCodeMarker> {
        var found: Set<GoCodeMarker> = []
        let total = start.count + 25
        bytes.withUnsafeBufferPointer { buf in
            guard let base = buf.baseAddress, buf.count >= total else { return }
            var i = 0
            while i + total <= buf.count {
                guard let hit = memchr(base + i + 2, 0xF4, buf.count - total + 1 - i) else { return }
                i = UnsafePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self)) - base - 2
                if memcmp(base + i, start, start.count) == 0 {
                    for m in allCases where !found.contains(m) && memcmp(base + i, m.signature, total) == 0 {
                        found.insert(m)
                    }
                }
                i += 1
            }
        }
        return found
    }
}
