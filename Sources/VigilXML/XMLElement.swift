import CLibXML2

/// An element of a parsed `XMLDocument`. It keeps its document alive.
package struct XMLElement: @unchecked Sendable {
    let node: xmlNodePtr
    /// The document that owns this element.
    package let document: XMLDocument

    init(node: xmlNodePtr, document: XMLDocument) {
        self.node = node
        self.document = document
    }

    /// Local name, without prefix.
    package var name: String { String(cString: node.pointee.name) }

    /// Namespace URI, if any.
    package var namespace: String? {
        node.pointee.ns.flatMap { $0.pointee.href.map { String(cString: $0) } }
    }

    /// Line in the source file.
    package var line: Int { Int(xmlGetLineNo(node)) }

    /// "file:line", for messages.
    package var location: String { "\(document.path):\(line)" }

    /// The value of an attribute with no namespace (or, given `namespace`, in that namespace).
    package func attribute(_ name: String, namespace: String? = nil) -> String? {
        let value: UnsafeMutablePointer<xmlChar>?
        if let namespace {
            value = xmlGetNsProp(node, name, namespace)
        } else {
            value = xmlGetNoNsProp(node, name)
        }
        guard let value else { return nil }
        defer { vigil_xml_free(value) }
        return String(cString: value)
    }

    /// Every attribute as (local name, namespace URI, value), in document order.
    package var attributes: [(name: String, namespace: String?, value: String)] {
        var out: [(String, String?, String)] = []
        var attr = node.pointee.properties
        while let a = attr {
            let name = String(cString: a.pointee.name)
            let ns = a.pointee.ns.flatMap { $0.pointee.href.map { String(cString: $0) } }
            var value = ""
            if let v = xmlNodeListGetString(node.pointee.doc, a.pointee.children, 1) {
                value = String(cString: v)
                vigil_xml_free(v)
            }
            out.append((name, ns, value))
            attr = a.pointee.next
        }
        return out
    }

    /// Child elements, in document order.
    package var children: [XMLElement] {
        var out: [XMLElement] = []
        var child = node.pointee.children
        while let c = child {
            if c.pointee.type == XML_ELEMENT_NODE { out.append(XMLElement(node: c, document: document)) }
            child = c.pointee.next
        }
        return out
    }

    /// Child elements with the given local name.
    package func children(_ localName: String) -> [XMLElement] {
        children.filter { $0.name == localName }
    }

    /// The first child element with the given local name.
    package func child(_ localName: String) -> XMLElement? {
        var child = node.pointee.children
        while let c = child {
            if c.pointee.type == XML_ELEMENT_NODE, String(cString: c.pointee.name) == localName {
                return XMLElement(node: c, document: document)
            }
            child = c.pointee.next
        }
        return nil
    }

    /// The element as XML text (namespaces declared on its ancestors are not repeated).
    package func serialized() -> String {
        guard let buffer = xmlBufferCreate() else { return "" }
        defer { xmlBufferFree(buffer) }
        xmlNodeDump(buffer, node.pointee.doc, node, 0, 0)
        return String(cString: xmlBufferContent(buffer))
    }

    /// A piece of mixed content: text, or a child element.
    package enum Content {
        case text(String)
        case element(XMLElement)
    }

    /// Text and child elements in document order, as in a fix script with `<sub>`s.
    package var content: [Content] {
        var out: [Content] = []
        var child = node.pointee.children
        while let c = child {
            switch c.pointee.type {
            case XML_ELEMENT_NODE: out.append(.element(XMLElement(node: c, document: document)))
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let text = xmlNodeGetContent(c) {
                    out.append(.text(String(cString: text)))
                    vigil_xml_free(text)
                }
            default: break
            }
            child = c.pointee.next
        }
        return out
    }

    /// All text below this element, concatenated.
    package var text: String {
        guard let content = xmlNodeGetContent(node) else { return "" }
        defer { vigil_xml_free(content) }
        return String(cString: content)
    }

    /// Whether the element has an `xsi:nil="true"` attribute.
    package var isNil: Bool {
        let v = attribute("nil", namespace: "http://www.w3.org/2001/XMLSchema-instance")
        return v == "true" || v == "1"
    }
}
