/// Package version orderings used by OVAL's `evr_string` and `debian_evr_string`, as
/// OpenSCAP 1.3.7 computes them (RPM's `rpmvercmp` from librpm 4.18, dpkg's `verrevcmp`).
/// Every function returns the sign of (a <=> b): -1, 0 or 1.
package enum OVALVersionOrder {
    /// The parts of an `[epoch:]version[-release]` string as RPM's `parseEVR` splits them:
    /// the epoch is the leading digits before a ':' (an empty one reads "0"; nil when there is
    /// no ':' after the leading digits), the release is what follows the last '-'.
    package struct EVR: Sendable, Equatable {
        /// The epoch digits ("0" for an empty epoch), nil when the string has none.
        package var epoch: String?
        /// The version: after the epoch's ':', up to the last '-'.
        package var version: String
        /// What follows the last '-', nil when there is no '-'.
        package var release: String?

        /// Splits `text` as RPM and OpenSCAP do.
        package init(_ text: String) {
            let bytes = Array(OVALCompare.cBytes(text))
            var s = 0
            while s < bytes.count, OVALVersionOrder.isDigit(bytes[s]) { s += 1 }
            let lastDash = bytes[s...].lastIndex(of: UInt8(ascii: "-"))
            var versionStart = 0
            if s < bytes.count, bytes[s] == UInt8(ascii: ":") {
                epoch = s == 0 ? "0" : String(decoding: bytes[0..<s], as: UTF8.self)
                versionStart = s + 1
            } else {
                epoch = nil
            }
            if let lastDash {
                version = String(decoding: bytes[versionStart..<lastDash], as: UTF8.self)
                release = String(decoding: bytes[(lastDash + 1)...], as: UTF8.self)
            } else {
                version = String(decoding: bytes[versionStart...], as: UTF8.self)
                release = nil
            }
        }
    }

    /// Compares two RPM EVR strings as OpenSCAP does: epoch, then version, then release, each
    /// with `rpmvercmp`. A missing part is older than a present one, so a missing epoch is
    /// NOT the same as "0" ("0:1.0-1" is newer than "1.0-1"), and "1.0" is older than "1.0-1".
    package static func rpmEVRCompare(_ a: String, _ b: String) -> Int {
        let x = EVR(a), y = EVR(b)
        let epochs = compareOptional(x.epoch, y.epoch)
        if epochs != 0 { return epochs }
        let versions = rpmvercmp(x.version, y.version)
        if versions != 0 { return versions }
        return compareOptional(x.release, y.release)
    }

    private static func compareOptional(_ a: String?, _ b: String?) -> Int {
        switch (a, b) {
        case (nil, nil): return 0
        case (.some, nil): return 1
        case (nil, .some): return -1
        case let (.some(x), .some(y)): return rpmvercmp(x, y)
        }
    }

    /// RPM's version segment comparison (librpm 4.18): runs of digits compare numerically,
    /// runs of letters as bytes, a number is newer than letters, other characters only
    /// separate, '~' sorts before anything (even the end), '^' after the end but before
    /// anything else, and whichever string has segments left is newer.
    package static func rpmvercmp(_ a: String, _ b: String) -> Int {
        let one = Array(OVALCompare.cBytes(a)), two = Array(OVALCompare.cBytes(b))
        if one == two { return 0 }
        var i = 0, j = 0
        func at(_ s: [UInt8], _ k: Int) -> UInt8 { k < s.count ? s[k] : 0 }
        let tilde = UInt8(ascii: "~"), caret = UInt8(ascii: "^")
        while at(one, i) != 0 || at(two, j) != 0 {
            while at(one, i) != 0, !isAlnum(at(one, i)), at(one, i) != tilde, at(one, i) != caret { i += 1 }
            while at(two, j) != 0, !isAlnum(at(two, j)), at(two, j) != tilde, at(two, j) != caret { j += 1 }
            let c1 = at(one, i), c2 = at(two, j)
            if c1 == tilde || c2 == tilde {
                if c1 != tilde { return 1 }
                if c2 != tilde { return -1 }
                i += 1; j += 1
                continue
            }
            if c1 == caret || c2 == caret {
                if c1 == 0 { return -1 }
                if c2 == 0 { return 1 }
                if c1 != caret { return 1 }
                if c2 != caret { return -1 }
                i += 1; j += 1
                continue
            }
            if c1 == 0 || c2 == 0 { break }
            let numeric = isDigit(c1)
            let inSegment = { (c: UInt8) -> Bool in numeric ? isDigit(c) : isAlpha(c) }
            var e1 = i, e2 = j
            while at(one, e1) != 0, inSegment(at(one, e1)) { e1 += 1 }
            while at(two, e2) != 0, inSegment(at(two, e2)) { e2 += 1 }
            if e1 == i { return -1 }
            if e2 == j { return numeric ? 1 : -1 }
            var s1 = one[i..<e1], s2 = two[j..<e2]
            if numeric {
                s1 = s1.drop { $0 == UInt8(ascii: "0") }
                s2 = s2.drop { $0 == UInt8(ascii: "0") }
                if s1.count != s2.count { return s1.count > s2.count ? 1 : -1 }
            }
            if s1 != s2 { return s1.lexicographicallyPrecedes(s2) ? -1 : 1 }
            i = e1; j = e2
        }
        let end1 = at(one, i) == 0, end2 = at(two, j) == 0
        if end1 && end2 { return 0 }
        return end1 ? -1 : 1
    }

    /// Compares two Debian versions as OpenSCAP does: split like RPM's EVR (epoch digits
    /// before ':', missing epoch = 0, revision after the last '-'), epochs numerically, then
    /// upstream version and revision with dpkg's `verrevcmp` ('~' before everything, letters
    /// before other characters, digit runs numerically). Nil when an epoch exceeds C `int`.
    package static func debianEVRCompare(_ a: String, _ b: String) -> Int? {
        let x = EVR(a), y = EVR(b)
        guard let e1 = debianEpoch(x.epoch), let e2 = debianEpoch(y.epoch) else { return nil }
        if e1 != e2 { return e1 > e2 ? 1 : -1 }
        let versions = verrevcmp(x.version, y.version)
        if versions != 0 { return versions }
        return verrevcmp(x.release ?? "", y.release ?? "")
    }

    private static func debianEpoch(_ epoch: String?) -> Int32? {
        // The epoch holds only ASCII digits (see EVR); leading zeros do not count.
        let digits = (epoch ?? "0").utf8.drop { $0 == UInt8(ascii: "0") }
        guard digits.count <= 10 else { return nil }
        let value = digits.reduce(Int64(0)) { $0 * 10 + Int64($1 - UInt8(ascii: "0")) }
        return value <= Int64(Int32.max) ? Int32(value) : nil
    }

    /// dpkg's comparison of an upstream version or revision.
    package static func verrevcmp(_ a: String, _ b: String) -> Int {
        let x = Array(OVALCompare.cBytes(a)), y = Array(OVALCompare.cBytes(b))
        func at(_ s: [UInt8], _ k: Int) -> UInt8 { k < s.count ? s[k] : 0 }
        var i = 0, j = 0
        while at(x, i) != 0 || at(y, j) != 0 {
            var firstDiff = 0
            while (at(x, i) != 0 && !isDigit(at(x, i))) || (at(y, j) != 0 && !isDigit(at(y, j))) {
                let ac = dpkgOrder(at(x, i)), bc = dpkgOrder(at(y, j))
                if ac != bc { return ac < bc ? -1 : 1 }
                i += 1; j += 1
            }
            while at(x, i) == UInt8(ascii: "0") { i += 1 }
            while at(y, j) == UInt8(ascii: "0") { j += 1 }
            while isDigit(at(x, i)), isDigit(at(y, j)) {
                if firstDiff == 0 { firstDiff = Int(at(x, i)) - Int(at(y, j)) }
                i += 1; j += 1
            }
            if isDigit(at(x, i)) { return 1 }
            if isDigit(at(y, j)) { return -1 }
            if firstDiff != 0 { return firstDiff < 0 ? -1 : 1 }
        }
        return 0
    }

    /// dpkg's weight of a character: digits and the end 0, letters their code, '~' -1,
    /// anything else its (signed char) code + 256.
    private static func dpkgOrder(_ c: UInt8) -> Int {
        if isDigit(c) { return 0 }
        if isAlpha(c) { return Int(c) }
        if c == UInt8(ascii: "~") { return -1 }
        if c != 0 { return Int(Int8(bitPattern: c)) + 256 }
        return 0
    }

    static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    static func isAlpha(_ c: UInt8) -> Bool { (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A }
    static func isAlnum(_ c: UInt8) -> Bool { isDigit(c) || isAlpha(c) }
}
