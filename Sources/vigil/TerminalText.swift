import Foundation

/// Text from the scanned system or the content (host names, titles, evidence, paths),
/// made safe to print on a terminal: control characters (C0, DEL, C1) and the Unicode
/// controls that reorder or break lines (bidirectional overrides and isolates, line and
/// paragraph separators) are shown as escapes (`\x1b`, `\n`, `\u{202e}`), so a value
/// can neither move the cursor, retitle the window, recolour or clear the screen, nor
/// start a line that looks like Vigil's own output.
enum TerminalText {
    static func visible(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text.unicodeScalars {
            switch c.value {
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0x00..<0x20, 0x7F..<0xA0: out += String(format: "\\x%02x", c.value)
            case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0x2028, 0x2029:
                out += String(format: "\\u{%04x}", c.value)
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}
