import FuzzSupport
import VigilOVAL

/// Fuzzes OVAL regular expressions (`OVALRegex`, PCRE2): compiling, matching strings and raw
/// bytes, Perl-style global matching, OpenSCAP's textfilecontent scan and partial matching.
/// Input: byte 0 holds the options (bit 0 case-insensitive, bit 1 multiline, bit 2 dot-all) and
/// bit 3 picks OpenSCAP's file-content limits (depth 3500) over the default ones, and bit 4 runs
/// them as they are; without bit 4 the match limit is cut to 100,000 steps and the heap to 16 MiB,
/// so that a backtracking pattern (/^(.*)*x/ takes about 0.3 s per match at 10,000,000 steps)
/// does not slow the whole run to a few inputs a second. Then the pattern, a 0xFF byte, and the subject
/// (raw bytes; read as UTF-8 with invalid sequences replaced where a string is needed).
/// Compile errors and limit errors are expected; a crash, a hang or a match outside the
/// subject is a finding.
enum Harness {
    static func decode(_ bytes: [UInt8]) -> (OVALRegex.Options, OVALRegex.Limits, String, ArraySlice<UInt8>)? {
        guard let flags = bytes.first else { return nil }
        let options = OVALRegex.Options(rawValue: flags & 0x07)
        var limits: OVALRegex.Limits = flags & 0x08 != 0 ? .openSCAPFileContent : .default
        if flags & 0x10 == 0 {
            limits.matchLimit = min(limits.matchLimit, 100_000)
            limits.depthLimit = min(limits.depthLimit, 100_000)
            limits.heapLimitKiB = min(limits.heapLimitKiB, 16 * 1024)
        }
        let (pattern, subject) = FuzzInput.split(bytes[1...], at: 0xFF)
        return (options, limits, FuzzInput.text(pattern), subject ?? [])
    }

    static func run(_ bytes: [UInt8]) {
        guard let (options, limits, pattern, subject) = decode(bytes),
              let regex = try? OVALRegex(pattern, options: options, limits: limits) else { return }
        let raw = Array(subject)
        let text = FuzzInput.text(subject)
        let byteMatch = try? regex.match(bytes: raw)
        if let m = byteMatch { checkBounds(m, regex, raw.count) }
        if let m = try? regex.match(text) {
            checkBounds(m, regex, text.utf8.count)
            // On valid UTF-8 the string and the byte entry points see the same subject.
            if String(validating: raw, as: UTF8.self) != nil, let byteMatch {
                FuzzInput.check(byteMatch == m, "string and byte matches differ for /\(pattern)/")
            }
        }
        if let all = try? regex.matchAll(text) {
            for m in all { checkBounds(m, regex, text.utf8.count) }
        }
        let scan = regex.openSCAPScan(in: raw)
        let end = raw.firstIndex(of: 0) ?? raw.count
        for m in scan.matches {
            checkBounds(m, regex, end)
            _ = m.openSCAPSubexpressions
        }
        _ = try? regex.partialMatch(text)
        _ = regex.evaluate(text)
    }

    static func checkBounds(_ m: OVALRegexMatch, _ regex: OVALRegex, _ length: Int) {
        FuzzInput.check(m.ranges.count == regex.captureCount + 1 && m.groups.count == m.ranges.count,
                        "/\(regex.pattern)/: \(m.ranges.count) ranges for \(regex.captureCount) groups")
        for case let r? in m.ranges {
            FuzzInput.check(r.lowerBound >= 0 && r.upperBound <= length, "/\(regex.pattern)/: match \(r) outside a subject of \(length) bytes")
        }
    }

    static func describe(_ bytes: [UInt8]) -> String {
        guard let (options, limits, pattern, subject) = decode(bytes) else { return "empty" }
        let outcome: String
        do {
            let regex = try OVALRegex(pattern, options: options, limits: limits)
            outcome = (try? regex.match(FuzzInput.text(subject))).map { "first match \($0.map { "\($0.range)" } ?? "none")" }
                ?? "matching fails: \(regex.evaluate(FuzzInput.text(subject)))"
        } catch {
            outcome = "\(error)"
        }
        return "/\(pattern)/ options \(options.rawValue), limits \(limits) on \(subject.count) bytes: \(outcome)"
    }
}
