import CLibXML2

/// A new XML document made from a copy of an existing element, to which parsed
/// fragments can be appended (used to write results inside a copy of the benchmark).
package final class XMLBuilderDocument: @unchecked Sendable {
    let doc: xmlDocPtr
    let root: xmlNodePtr

    /// A document whose root is a deep copy of `element`, with namespaces re-declared.
    package init?(copying element: XMLElement) {
        guard let doc = xmlNewDoc("1.0") else { return nil }
        guard let copy = xmlDocCopyNode(element.node, doc, 1) else { xmlFreeDoc(doc); return nil }
        xmlDocSetRootElement(doc, copy)
        xmlReconciliateNs(doc, copy)
        self.doc = doc
        self.root = copy
    }

    /// A document parsed from `xml` (a skeleton to fill in).
    package init(parsing xml: String, label: String) throws {
        let parsed = try XMLDocument.parse(string: xml, label: label)
        guard let el = parsed.root, let doc = xmlNewDoc("1.0") else {
            throw XMLError(file: label, line: nil, message: "empty document")
        }
        guard let copy = xmlDocCopyNode(el.node, doc, 1) else {
            xmlFreeDoc(doc)
            throw XMLError(file: label, line: nil, message: "cannot copy the document")
        }
        xmlDocSetRootElement(doc, copy)
        self.doc = doc
        self.root = copy
    }

    deinit { xmlFreeDoc(doc) }

    /// Appends a deep copy of `element` as the last child of the first element (in
    /// document order) whose local name is `localName`, inside the first `within` element
    /// when that is given.
    package func append(copyOf element: XMLElement, intoFirst localName: String, within: String? = nil) throws {
        var scope: xmlNodePtr? = root
        if let within { scope = XMLBuilderDocument.first(within, under: root) }
        guard let scope, let parent = XMLBuilderDocument.first(localName, under: scope) else {
            throw XMLError(file: "generated document", line: nil, message: "no <\(localName)> to fill")
        }
        guard let copy = xmlDocCopyNode(element.node, doc, 1) else {
            throw XMLError(file: "generated document", line: nil, message: "cannot copy <\(element.name)>")
        }
        xmlAddChild(parent, copy)
        xmlReconciliateNs(doc, copy)
    }

    /// Parses `xml` (one element) and appends it inside the first `localName` element.
    package func append(fragment xml: String, intoFirst localName: String, within: String? = nil) throws {
        let frag = try XMLDocument.parse(string: xml, label: "generated fragment")
        guard let el = frag.root else { throw XMLError(file: "generated fragment", line: nil, message: "empty fragment") }
        try append(copyOf: el, intoFirst: localName, within: within)
    }

    static func first(_ localName: String, under node: xmlNodePtr) -> xmlNodePtr? {
        var child = node.pointee.children
        while let c = child {
            if c.pointee.type == XML_ELEMENT_NODE {
                if let name = c.pointee.name, String(cString: name) == localName { return c }
                if let found = first(localName, under: c) { return found }
            }
            child = c.pointee.next
        }
        return nil
    }

    /// Parses `xml` (one element) and appends a copy of it as the last child of the root.
    package func append(fragment xml: String) throws {
        let frag = try XMLDocument.parse(string: xml, label: "generated fragment")
        guard let el = frag.root, let copy = xmlDocCopyNode(el.node, doc, 1) else {
            throw XMLError(file: "generated fragment", line: nil, message: "empty fragment")
        }
        xmlAddChild(root, copy)
        xmlReconciliateNs(doc, root)
    }

    /// The document as UTF-8 bytes.
    package func serialized() -> [UInt8] {
        var mem: UnsafeMutablePointer<xmlChar>?
        var size: Int32 = 0
        xmlDocDumpFormatMemoryEnc(doc, &mem, &size, "UTF-8", 1)
        defer { if let mem { vigil_xml_free(mem) } }
        guard let mem else { return [] }
        return Array(UnsafeBufferPointer(start: mem, count: Int(size)))
    }
}

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
