import Mustache

/// HTML escaping for every `{{value}}` in the report templates, one Unicode scalar at a
/// time. swift-mustache's own HTML escaping compares whole Characters (grapheme
/// clusters), so a `<` or `"` that a combining mark follows ("<\u{338}") or a prepended
/// concatenation mark precedes ("\u{600}<") forms another Character and slips through
/// unescaped; this escaper never looks at clusters. Its output is safe in element text
/// and in quoted attribute values (the only places the templates put values).
struct HTMLEscaping: MustacheContentType {
    /// The content type's name in `{{% CONTENT_TYPE: ... }}`.
    static let name = "VIGIL_HTML"

    /// Registers the content type with swift-mustache (once, before any template parses).
    static let registered: Void = MustacheContentTypes.register(HTMLEscaping(), named: name)

    func escapeText(_ text: String) -> String { HTMLEscaping.escape(text) }

    static func escape(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out.append(contentsOf: "&amp;".unicodeScalars)
            case "<": out.append(contentsOf: "&lt;".unicodeScalars)
            case ">": out.append(contentsOf: "&gt;".unicodeScalars)
            case "\"": out.append(contentsOf: "&quot;".unicodeScalars)
            case "'": out.append(contentsOf: "&#39;".unicodeScalars)
            case "`": out.append(contentsOf: "&#96;".unicodeScalars)
            case "\u{0}": out.append("\u{FFFD}")
            default: out.append(scalar)
            }
        }
        return String(out)
    }
}
