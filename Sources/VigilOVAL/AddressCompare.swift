#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 or IPv6 address with its netmask or prefix length, read as OpenSCAP 1.3.7 reads
/// OVAL `ipv4_address` / `ipv6_address` values.
package struct OVALAddress: Sendable, Equatable {
    /// The address family.
    package enum Family: Sendable {
        case ipv4, ipv6
    }

    /// IPv4 or IPv6.
    package let family: Family
    /// The address in network byte order (4 or 16 bytes).
    package let bytes: [UInt8]
    /// IPv4: the netmask as a 32-bit number (255.255.255.0 is 0xFFFFFF00; no mask means all
    /// ones). IPv6: the prefix length (no prefix means 128).
    package let mask: UInt32

    /// Parses "a.b.c.d", "a.b.c.d/len" or "a.b.c.d/m.m.m.m" (IPv4), "addr" or "addr/len" (IPv6).
    /// Follows OpenSCAP: the address must satisfy `inet_pton`; an IPv4 suffix is read by
    /// `sscanf("%hhu.%hhu.%hhu.%hhu")` (four numbers are a netmask, one number up to 32 a
    /// prefix length; numbers wrap modulo 256, and on x86 "/0" acts as "/32"); an IPv6 suffix
    /// is read by `strtol` with no range check ("/abc" is 0). Nil when it cannot be read.
    package init?(_ text: String, family: Family) {
        let all = Array(OVALCompare.cBytes(text))
        let slash = all.firstIndex(of: UInt8(ascii: "/"))
        let addressPart = all[..<(slash ?? all.count)]
        let suffix = slash.map { all[($0 + 1)...] }
        self.family = family
        switch family {
        case .ipv4:
            if let suffix {
                let (count, numbers) = Self.scanDottedBytes(suffix)
                if count == 4 {
                    mask = numbers.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
                } else if count == 1, numbers[0] <= 32 {
                    // C's (~0u) << (32 - n): an x86 shift by 32 is a shift by 0.
                    mask = numbers[0] == 0 ? UInt32.max : UInt32.max << (32 - UInt32(numbers[0]))
                } else {
                    return nil
                }
            } else {
                mask = UInt32.max
            }
        case .ipv6:
            mask = suffix.map { UInt32(truncatingIfNeeded: Self.cStrtol(Array($0))) } ?? 128
        }
        guard let address = Self.presentationToNetwork(Array(addressPart), family: family) else { return nil }
        bytes = address
    }

    /// This address with every bit past `mask` (IPv4 netmask, or IPv6 prefix length) cleared;
    /// nil for an IPv6 prefix length outside 0...128 (OpenSCAP aborts on those).
    func masked(by mask: UInt32) -> [UInt8]? {
        switch family {
        case .ipv4:
            let maskBytes = [UInt8(truncatingIfNeeded: mask >> 24), UInt8(truncatingIfNeeded: mask >> 16),
                             UInt8(truncatingIfNeeded: mask >> 8), UInt8(truncatingIfNeeded: mask)]
            return zip(bytes, maskBytes).map { $0 & $1 }
        case .ipv6:
            guard mask <= 128 else { return nil }
            let prefix = Int(mask)
            return bytes.enumerated().map { index, byte in
                let bitsKept = min(max(prefix - index * 8, 0), 8)
                return bitsKept == 8 ? byte : byte & ~(UInt8.max >> bitsKept)
            }
        }
    }

    /// The leading `%hhu.%hhu.%hhu.%hhu` conversions of `sscanf`: how many succeeded (-1 when
    /// the input ends before the first) and their values modulo 256.
    static func scanDottedBytes(_ text: ArraySlice<UInt8>) -> (count: Int, values: [UInt8]) {
        var values: [UInt8] = []
        var k = text.startIndex
        for n in 0..<4 {
            if n > 0 {
                guard k < text.endIndex, text[k] == UInt8(ascii: ".") else { break }
                k += 1
            }
            while k < text.endIndex, isCSpace(text[k]) { k += 1 }
            if k == text.endIndex { return (values.isEmpty ? -1 : values.count, values) }
            var negative = false
            if text[k] == UInt8(ascii: "+") || text[k] == UInt8(ascii: "-") {
                negative = text[k] == UInt8(ascii: "-")
                k += 1
            }
            let digitsStart = k
            var value: UInt64 = 0
            var overflow = false
            while k < text.endIndex, OVALVersionOrder.isDigit(text[k]) {
                let (times10, o1) = value.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times10.addingReportingOverflow(UInt64(text[k] - UInt8(ascii: "0")))
                overflow = overflow || o1 || o2
                value = sum
                k += 1
            }
            guard k > digitsStart else { break }
            // strtoul: saturates on overflow, negates (modulo 2^64) after a '-'.
            let converted = overflow ? UInt64.max : (negative ? 0 &- value : value)
            values.append(UInt8(truncatingIfNeeded: converted))
        }
        return (values.count, values)
    }

    private static func isCSpace(_ c: UInt8) -> Bool { c == 0x20 || (0x09...0x0D).contains(c) }

    /// C `strtol(text, NULL, 10)`.
    private static func cStrtol(_ text: [UInt8]) -> Int {
        var bytes = text.map { CChar(bitPattern: $0) }
        bytes.append(0)
        return bytes.withUnsafeBufferPointer { buf in
            guard let base = buf.baseAddress else { return 0 }
            return strtol(base, nil, 10)
        }
    }

    /// `inet_pton` of the address text, or nil when it is not a valid address.
    private static func presentationToNetwork(_ text: [UInt8], family: Family) -> [UInt8]? {
        var cText = text.map { CChar(bitPattern: $0) }
        cText.append(0)
        var out = [UInt8](repeating: 0, count: family == .ipv4 ? 4 : 16)
        let rc = cText.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBytes { dst in
                inet_pton(family == .ipv4 ? AF_INET : AF_INET6, src.baseAddress, dst.baseAddress)
            }
        }
        return rc == 1 ? out : nil
    }
}

extension OVALCompare {
    /// OpenSCAP's `oval_ipaddr_cmp`. `equals` needs the same address and the same mask
    /// (addresses are not masked first); the orderings need equal masks (else `.error`) and
    /// compare the masked addresses; `subset of` holds when the system's network lies inside
    /// the stated one, `superset of` when the stated one lies inside the system's.
    static func compareAddress(_ actual: String, _ operation: OVALOperation, _ expected: String,
                               family: OVALAddress.Family) -> OVALResult {
        guard let state = OVALAddress(expected, family: family),
              let sys = OVALAddress(actual, family: family) else { return .error }
        switch operation {
        case .equals:
            return truth(state.bytes == sys.bytes && state.mask == sys.mask)
        case .notEqual:
            return truth(state.bytes != sys.bytes || state.mask != sys.mask)
        case .subsetOf:
            if state.mask > sys.mask { return .false }
            guard let a = state.masked(by: state.mask), let b = sys.masked(by: state.mask) else { return .error }
            return truth(a == b)
        case .supersetOf:
            if state.mask < sys.mask { return .false }
            guard let a = state.masked(by: sys.mask), let b = sys.masked(by: sys.mask) else { return .error }
            return truth(a == b)
        case .greaterThan, .greaterThanOrEqual, .lessThan, .lessThanOrEqual:
            guard state.mask == sys.mask,
                  let a = state.masked(by: state.mask), let b = sys.masked(by: sys.mask) else { return .error }
            let order = a == b ? 0 : (b.lexicographicallyPrecedes(a) ? -1 : 1)
            return result(ofOrder: order, operation)
        default:
            return .error
        }
    }
}
