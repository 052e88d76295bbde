/// Escapes text for XML element content and attribute values. Characters XML 1.0 does
/// not allow anywhere, even as a reference (C0 controls other than tab, line feed and
/// carriage return; U+FFFE and U+FFFF), are written visibly instead, as `\x1b` or
/// `\u{fffe}`, so the document stays well-formed and the reader sees what was there.
package func xmlEscape(_ s: String) -> String {
    var out = ""
    out.reserveCapacity(s.utf8.count)
    for ch in s.unicodeScalars {
        switch ch {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&apos;"
        default:
            if ch.value < 0x20 && ch != "\n" && ch != "\t" && ch != "\r" {
                out += "\\x" + (ch.value < 0x10 ? "0" : "") + String(ch.value, radix: 16)
            } else if ch.value == 0xFFFE || ch.value == 0xFFFF {
                out += "\\u{" + String(ch.value, radix: 16) + "}"
            } else {
                out.unicodeScalars.append(ch)
            }
        }
    }
    return out
}
