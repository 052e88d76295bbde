import CPCRE2

/// A Perl-compatible regular expression (PCRE2), as OVAL's `pattern match` needs.
///
/// OpenSCAP 1.3.7 compiles OVAL patterns with PCRE in UTF-8 mode (`PCRE_UTF8`, without
/// `PCRE_UCP`), so `\w`, `\d` and `\s` match ASCII only, `.` matches one code point and
/// case-insensitive matching folds Unicode letters. This class does the same with PCRE2.
/// Patterns are used as written: OpenSCAP does not rewrite them for `pattern match`.
///
/// Matching is bounded by `Limits`: a pattern that backtracks catastrophically fails with a
/// `RegexError` (kind `.matchLimit`, `.depthLimit` or `.heapLimit`) instead of hanging; all
/// matches together are bounded by `RegexBudget.scan` (kind `.matchLimit` once spent); and a
/// subject that is not valid UTF-8 fails with kind `.badUTF8`, as it does in OpenSCAP. Use the
/// throwing `match` / `isMatch` / `evaluate` to tell such errors from "no match"; the older
/// `firstMatch`, `allMatches` and `matches` report an error as no match.
///
/// An instance is immutable and safe to use from several threads at once: each match gets its
/// own match data. `OVALRegex.cached(_:_:)` shares compiled patterns across a scan.
package final class OVALRegex: @unchecked Sendable {
    /// The pattern as given.
    package let pattern: String
    /// The options it was compiled with.
    package let options: Options
    /// The limits every match runs under.
    package let limits: Limits
    /// The number of capture groups in the pattern (group 0, the whole match, not counted).
    package let captureCount: Int

    private let code: OpaquePointer
    private let matchContext: OpaquePointer

    /// Compiles `pattern` with `options`; every match runs under `limits`.
    /// Throws `RegexError` (kind `.compile`) with PCRE2's message and the offset of the error.
    package init(_ pattern: String, options: Options, limits: Limits = .default) throws {
        self.pattern = pattern
        self.options = options
        self.limits = limits
        var errorCode: Int32 = 0
        var errorOffset = 0
        let bytes = Array(pattern.utf8)
        let compiled = bytes.withUnsafeBufferPointer { buf in
            pcre2_compile_8(buf.baseAddress, buf.count, options.pcre2CompileFlags,
                            &errorCode, &errorOffset, nil)
        }
        guard let compiled else {
            throw RegexError(pattern: pattern, message: RegexError.pcre2Message(errorCode),
                             kind: .compile, offset: errorOffset)
        }
        guard let context = pcre2_match_context_create_8(nil) else {
            pcre2_code_free_8(compiled)
            throw RegexError(pattern: pattern, message: "out of memory creating a match context",
                             kind: .other(code: PCRE2_ERROR_NOMEMORY))
        }
        pcre2_set_match_limit_8(context, limits.matchLimit)
        pcre2_set_depth_limit_8(context, limits.depthLimit)
        pcre2_set_heap_limit_8(context, limits.heapLimitKiB)
        var count: UInt32 = 0
        pcre2_pattern_info_8(compiled, UInt32(PCRE2_INFO_CAPTURECOUNT), &count)
        self.code = compiled
        self.matchContext = context
        self.captureCount = Int(count)
    }

    /// Compiles `pattern` with the flags OVAL uses: `caseInsensitive` (PCRE2_CASELESS),
    /// `multiline` (`^`/`$` at line breaks, textfilecontent54's `multiline` behavior) and
    /// `dotAll` (`.` matches a newline, textfilecontent54's `singleline` behavior).
    package convenience init(_ pattern: String, caseInsensitive: Bool = false, multiline: Bool = false,
                            dotAll: Bool = false) throws {
        var options: Options = []
        if caseInsensitive { options.insert(.caseInsensitive) }
        if multiline { options.insert(.multiline) }
        if dotAll { options.insert(.dotAll) }
        try self.init(pattern, options: options)
    }

    deinit {
        pcre2_match_context_free_8(matchContext)
        pcre2_code_free_8(code)
    }

    // MARK: Throwing API

    /// The first match in `subject` at or after the byte offset `from`, or nil when there is none.
    /// Throws when a limit is exceeded or the offset is not at a character boundary.
    package func match(_ subject: String, from offset: Int = 0) throws -> OVALRegexMatch? {
        var copy = subject
        return try copy.withUTF8 { try match(utf8: $0, from: offset, skipUTFCheck: true) }
    }

    /// The first match in the raw bytes `subject` at or after `from`, or nil when there is none.
    /// Throws when a limit is exceeded or the bytes are not valid UTF-8 (as OpenSCAP does).
    package func match(bytes subject: [UInt8], from offset: Int = 0) throws -> OVALRegexMatch? {
        try subject.withUnsafeBufferPointer { try match(utf8: $0, from: offset, skipUTFCheck: false) }
    }

    /// Whether the pattern matches somewhere in `subject`; throws on a limit or UTF-8 error.
    package func isMatch(_ subject: String) throws -> Bool {
        try match(subject) != nil
    }

    /// The OVAL result of `pattern match` on `subject`: `.true`, `.false`, or `.error` when
    /// matching failed (limit exceeded), as OpenSCAP reports a failed `pcre_exec`.
    package func evaluate(_ subject: String) -> OVALResult {
        do { return try isMatch(subject) ? .true : .false } catch { return .error }
    }

    /// Every non-overlapping match, as Perl's `m//g` finds them: after an empty match the
    /// search goes on one character further. Throws on a limit error.
    package func matchAll(_ subject: String) throws -> [OVALRegexMatch] {
        var copy = subject
        return try copy.withUTF8 { buf in
            var found: [OVALRegexMatch] = []
            var offset = 0
            while offset <= buf.count, let m = try match(utf8: buf, from: offset, skipUTFCheck: true) {
                found.append(m)
                let end = m.range.upperBound
                if m.range.isEmpty {
                    guard end < buf.count else { break }
                    offset = end + Self.utf8SequenceLength(buf[end])
                } else {
                    offset = end
                }
            }
            return found
        }
    }

    // MARK: Non-throwing API (errors read as no match)

    /// The first match: element 0 is the whole match, then each capture group (nil when it did
    /// not take part). Nil when there is no match or matching failed; use `match` to tell apart.
    package func firstMatch(in subject: String) -> [String?]? {
        (try? match(subject))?.groups
    }

    /// Every non-overlapping match, each as in `firstMatch`. Empty when matching failed.
    package func allMatches(in subject: String) -> [[String?]] {
        ((try? matchAll(subject)) ?? []).map(\.groups)
    }

    /// Whether the pattern matches somewhere in `subject` (false when matching failed).
    package func matches(_ subject: String) -> Bool { firstMatch(in: subject) != nil }

    // MARK: Core

    /// Runs one match over UTF-8 bytes. `skipUTFCheck` is only for bytes known to be valid
    /// UTF-8 (a Swift String's); the offset is then checked here instead of by PCRE2.
    func match(utf8 buf: UnsafeBufferPointer<UInt8>, from offset: Int,
               skipUTFCheck: Bool) throws -> OVALRegexMatch? {
        guard offset >= 0, offset <= buf.count else {
            throw RegexError(pattern: pattern, message: "start offset \(offset) is outside the subject",
                             kind: .other(code: PCRE2_ERROR_BADOFFSET))
        }
        var flags: UInt32 = 0
        if skipUTFCheck {
            if offset < buf.count, Self.isContinuationByte(buf[offset]) {
                throw RegexError(pattern: pattern, message: RegexError.pcre2Message(PCRE2_ERROR_BADUTFOFFSET),
                                 kind: .badUTF8, offset: offset)
            }
            flags |= PCRE2_NO_UTF_CHECK
        }
        return try runMatch(buf, from: offset, flags: flags) { rc, data in
            try self.decode(rc, data, buf)
        }
    }

    /// Runs `pcre2_match` once over `buf` and hands the return code and match data to `body`
    /// (the match data lives only during the call).
    func runMatch<R>(_ buf: UnsafeBufferPointer<UInt8>, from offset: Int, flags: UInt32,
                     _ body: (Int32, OpaquePointer) throws -> R) throws -> R {
        guard let data = pcre2_match_data_create_from_pattern_8(code, nil) else {
            throw RegexError(pattern: pattern, message: "out of memory creating match data",
                             kind: .other(code: PCRE2_ERROR_NOMEMORY))
        }
        defer { pcre2_match_data_free_8(data) }
        // PCRE2 wants a non-null subject pointer even for an empty subject.
        let empty: [UInt8] = [0]
        let budget = RegexBudget.scan
        guard !budget.isSpent else {
            throw RegexError(pattern: pattern, message: "the scan's time budget for regular expressions "
                             + "(\(budget.seconds) s, see ContentLimits.regexSecondsPerScan) is spent", kind: .matchLimit)
        }
        let rc: Int32 = budget.charge {
            empty.withUnsafeBufferPointer { emptyBuf in
                let base = buf.baseAddress ?? emptyBuf.baseAddress
                return pcre2_match_8(code, base, buf.count, offset, flags, data, matchContext)
            }
        }
        return try body(rc, data)
    }

    /// The match a `pcre2_match` return code and its match data describe (nil: no match).
    private func decode(_ rc: Int32, _ data: OpaquePointer, _ buf: UnsafeBufferPointer<UInt8>) throws -> OVALRegexMatch? {
        if rc == PCRE2_ERROR_NOMATCH { return nil }
        if rc < 0 { throw RegexError.matchFailure(pattern: pattern, code: rc) }
        guard let ovector = pcre2_get_ovector_pointer_8(data) else { return nil }
        let pairs = Int(pcre2_get_ovector_count_8(data))
        var ranges: [Range<Int>?] = []
        ranges.reserveCapacity(captureCount + 1)
        for i in 0...captureCount {
            guard i < pairs else { ranges.append(nil); continue }
            // size_t imports as Int: PCRE2_UNSET (~0) reads as -1.
            let start = ovector[2 * i], end = ovector[2 * i + 1]
            if start >= 0, end >= start, end <= buf.count {
                ranges.append(start..<end)
            } else {
                ranges.append(nil)
            }
        }
        let groups: [String?] = ranges.map { range in
            range.map { String(decoding: UnsafeBufferPointer(rebasing: buf[$0]), as: UTF8.self) }
        }
        return OVALRegexMatch(ranges: ranges, groups: groups)
    }

    static func isContinuationByte(_ byte: UInt8) -> Bool { byte & 0xC0 == 0x80 }

    static func utf8SequenceLength(_ lead: UInt8) -> Int {
        switch lead {
        case 0xF0...: return 4
        case 0xE0...: return 3
        case 0xC0...: return 2
        default: return 1
        }
    }
}

/// One match of an `OVALRegex`.
package struct OVALRegexMatch: Sendable, Equatable {
    /// Byte ranges in the subject's UTF-8: element 0 the whole match, then each capture group
    /// (nil when the group did not take part).
    package let ranges: [Range<Int>?]
    /// The matched text of each element of `ranges`.
    package let groups: [String?]

    /// The byte range of the whole match.
    package var range: Range<Int> { ranges.first.flatMap { $0 } ?? 0..<0 }
    /// The text of the whole match.
    package var text: String { groups.first.flatMap { $0 } ?? "" }
    /// The capture groups without the whole match (nil for a group that did not take part).
    package var captures: [String?] { Array(groups.dropFirst()) }

    /// The subexpressions OpenSCAP reports for a textfilecontent54 item: the groups that took
    /// part, in order, with unset groups left out (so later groups move up), and no more than
    /// 19 (OpenSCAP reads at most 20 pairs, the whole match included).
    package var openSCAPSubexpressions: [String] {
        Array(groups.prefix(20).dropFirst().compactMap { $0 })
    }
}
