import VigilOVAL

/// What both text-file-content probes share: the files they read and the
/// `textfilecontent_item` they report (OpenSCAP 1.3.7 reports the same item type, with
/// the same fields, for textfilecontent54_object and textfilecontent_object).
enum TextFileContentItems {
    /// The item for one match: `filepath`, `path`, `filename`, `pattern`, `instance`,
    /// `line` (OpenSCAP repeats the pattern there), `text` (the whole match) and one
    /// `subexpression` per capture group that took part.
    /// `filepath` is `entry.filepath`, made once per file so that its items share it.
    static func item(entry: FileWalkEntry, filepath: String, pattern: String, instance: Int, match: OVALRegexMatch) -> OVALItem {
        var fields = [
            OVALItemField("filepath", filepath),
            OVALItemField("path", entry.path),
            OVALItemField("filename", entry.filename ?? ""),
            OVALItemField("pattern", pattern),
            OVALItemField("instance", String(instance), datatype: .int),
            OVALItemField("line", pattern),
            OVALItemField("text", match.text),
        ]
        for sub in match.openSCAPSubexpressions {
            fields.append(OVALItemField("subexpression", sub))
        }
        return OVALItem(fields: fields)
    }

    /// Whether OpenSCAP reads this entry: a file (or an unfollowed link) with a name.
    static func isCandidate(_ entry: FileWalkEntry) -> Bool {
        entry.filename != nil && (entry.kind == .regular || entry.kind == .symlink)
    }

    /// Whether the entry is, through its links, a regular file (others are skipped silently).
    static func isRegularFile(_ entry: FileWalkEntry, target: Target) -> Bool {
        target.fileInfo(entry.filepath, followLinks: true)?.isRegular ?? false
    }

    /// A behavior flag as OpenSCAP's `SEXP_string_getb` reads it: true for "1", "true",
    /// or any prefix of them (including ""); `absent` when the attribute is missing.
    static func flag(_ attributes: [String: String], _ name: String, absent: Bool) -> Bool {
        guard let value = attributes[name] else { return absent }
        return "1".hasPrefix(value) || "true".hasPrefix(value)
    }

    /// The PCRE (version 1) error number OpenSCAP prints for a failed match; a UTF-8 error
    /// here is a start offset inside a character (the subject itself is checked first).
    static func pcreErrorCode(_ error: Error) -> Int {
        guard let regexError = error as? RegexError else { return -1 }
        switch regexError.kind {
        case .matchLimit: return -8
        case .badUTF8: return -11
        case .depthLimit, .heapLimit: return -21
        case .compile: return -1
        case .other: return -24
        }
    }
}
