import CPCRE2

extension OVALRegex {
    /// Compile options for an OVAL regular expression. UTF-8 mode is always on, as in OpenSCAP.
    package struct Options: OptionSet, Hashable, Sendable {
        /// The option bits.
        package let rawValue: UInt8
        /// Options from their bits.
        package init(rawValue: UInt8) { self.rawValue = rawValue }

        /// Case-insensitive matching (PCRE2_CASELESS).
        package static let caseInsensitive = Options(rawValue: 1 << 0)
        /// `^` and `$` also match at line breaks (PCRE2_MULTILINE); textfilecontent54 `multiline`.
        package static let multiline = Options(rawValue: 1 << 1)
        /// `.` also matches a newline (PCRE2_DOTALL); textfilecontent54 `singleline`.
        package static let dotAll = Options(rawValue: 1 << 2)

        /// The PCRE2 compile flags for these options.
        var pcre2CompileFlags: UInt32 {
            var flags = PCRE2_UTF
            if contains(.caseInsensitive) { flags |= PCRE2_CASELESS }
            if contains(.multiline) { flags |= PCRE2_MULTILINE }
            if contains(.dotAll) { flags |= PCRE2_DOTALL }
            return flags
        }
    }

    /// Resource limits for one match; exceeding any of them is an error, not a non-match.
    package struct Limits: Hashable, Sendable {
        /// How many times PCRE2's internal match function may be called (backtracking steps).
        package var matchLimit: UInt32
        /// How deeply backtracking may nest.
        package var depthLimit: UInt32
        /// Heap memory PCRE2 may use for backtracking, in KiB.
        package var heapLimitKiB: UInt32

        /// Sets each limit.
        package init(matchLimit: UInt32, depthLimit: UInt32, heapLimitKiB: UInt32) {
            self.matchLimit = matchLimit
            self.depthLimit = depthLimit
            self.heapLimitKiB = heapLimitKiB
        }

        /// PCRE's default match limit of 10,000,000 (what OpenSCAP's `pattern match` runs
        /// under), with nesting bounded by 256 MiB of heap instead of the C stack.
        package static let `default` = Limits(matchLimit: 10_000_000, depthLimit: 10_000_000,
                                             heapLimitKiB: 256 * 1024)

        /// The limits OpenSCAP 1.3.7 sets for textfilecontent and textfilecontent54 file
        /// matching: recursion depth 3500 (its OSCAP_PCRE_EXEC_RECURSION_LIMIT default).
        package static let openSCAPFileContent = Limits(matchLimit: 10_000_000, depthLimit: 3500,
                                                       heapLimitKiB: 256 * 1024)
    }
}
