/// What `OVALRegex.openSCAPScan(in:)` found: the matches in order (instance n is
/// `matches[n - 1]`) and, when the scan stopped on an error, that error. OpenSCAP keeps the
/// items found before such an error and flags the object as an error.
package struct OVALRegexScan: Sendable {
    /// The matches found, in order.
    package var matches: [OVALRegexMatch]
    /// The error that stopped the scan, if any.
    package var error: RegexError?
}

extension OVALRegex {
    /// Every match in `content` in the order and with the quirks of OpenSCAP 1.3.7's
    /// `oscap_get_substrings` loop, which textfilecontent54 (whole file) and textfilecontent
    /// (each line) use to number instances:
    /// - the subject ends at the first NUL byte (OpenSCAP treats it as a C string);
    /// - the whole subject must be valid UTF-8, else the scan fails (`.badUTF8`) at once;
    /// - the next search starts where the match ended, or one byte further when the match
    ///   ended where the search started; so an empty match not at the start of the search is
    ///   reported twice ("(?=b)" finds two instances in "ab"), and a step into the middle of a
    ///   multi-byte character fails (`.badUTF8`), as PCRE's offset check does in OpenSCAP;
    /// - searching stops when no match is found or the offset passes the end of the subject.
    /// Use `Limits.openSCAPFileContent` for OpenSCAP's backtracking depth limit.
    package func openSCAPScan(in content: [UInt8]) -> OVALRegexScan {
        let end = content.firstIndex(of: 0) ?? content.count
        return content.withUnsafeBufferPointer { whole in
            let buf = UnsafeBufferPointer(rebasing: whole[0..<end])
            var scan = OVALRegexScan(matches: [], error: nil)
            var offset = 0
            // The first search validates the whole subject; later ones check only the offset.
            var validated = false
            do {
                while offset <= buf.count {
                    guard let m = try match(utf8: buf, from: offset, skipUTFCheck: validated) else { break }
                    validated = true
                    scan.matches.append(m)
                    let matchEnd = m.range.upperBound
                    offset = offset == matchEnd ? matchEnd + 1 : matchEnd
                }
            } catch let error as RegexError {
                scan.error = error
            } catch {
                scan.error = RegexError(pattern: pattern, message: "\(error)", kind: .other(code: 0))
            }
            return scan
        }
    }

    /// `openSCAPScan(in:)` that throws its error instead of returning partial matches.
    package func openSCAPMatches(in content: [UInt8]) throws -> [OVALRegexMatch] {
        let scan = openSCAPScan(in: content)
        if let error = scan.error { throw error }
        return scan.matches
    }

    /// `openSCAPMatches(in:)` over the UTF-8 of a string.
    package func openSCAPMatches(in content: String) throws -> [OVALRegexMatch] {
        try openSCAPMatches(in: Array(content.utf8))
    }
}
