extension OVALRegex {
    /// Every match in `content` in the order and with the quirks of OpenSCAP 1.3.7's
    /// `oscap_get_substrings` loop, which textfilecontent54 (whole file) and textfilecontent
    /// (each line) use to number instances:
    /// - the subject ends at the first NUL byte (OpenSCAP treats it as a C string);
    /// - the whole subject must be valid UTF-8, else the scan fails (`.badUTF8`);
    /// - the next search starts where the match ended, or one byte further when the match
    ///   ended where the search started; an empty match elsewhere is therefore reported twice,
    ///   and a step into the middle of a multi-byte character fails (`.badUTF8`), as in OpenSCAP;
    /// - searching stops when no match is found or the offset passes the end of the subject.
    /// Use `Limits.openSCAPFileContent` for OpenSCAP's backtracking depth limit.
    public func openSCAPMatches(in content: [UInt8]) throws -> [OVALRegexMatch] {
        let end = content.firstIndex(of: 0) ?? content.count
        return try content.withUnsafeBufferPointer { whole in
            let buf = UnsafeBufferPointer(rebasing: whole[0..<end])
            var found: [OVALRegexMatch] = []
            var offset = 0
            // The first search validates the whole subject; later ones check only the offset.
            var validated = false
            while offset <= buf.count {
                guard let m = try match(utf8: buf, from: offset, skipUTFCheck: validated) else { break }
                validated = true
                found.append(m)
                let matchEnd = m.range.upperBound
                offset = offset == matchEnd ? matchEnd + 1 : matchEnd
            }
            return found
        }
    }

    /// `openSCAPMatches(in:)` over the UTF-8 of a string.
    public func openSCAPMatches(in content: String) throws -> [OVALRegexMatch] {
        try openSCAPMatches(in: Array(content.utf8))
    }
}
