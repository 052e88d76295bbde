import CLibXML2

/// A value an XPath 1.0 expression evaluated to, flattened to strings as OVAL's
/// xmlfilecontent probe reports them: node sets give each node's text (or attribute
/// value); numbers, booleans and strings give one value.
package enum XPathResult: Sendable, Equatable {
    case strings([String])
    case number(Double)
    case boolean(Bool)
    case string(String)
}

extension XMLDocument {
    /// Evaluates an XPath 1.0 expression on the whole document.
    /// Throws `XMLError` when the expression does not compile.
    package func xpath(_ expression: String) throws -> XPathResult {
        guard let ctx = xmlXPathNewContext(doc) else {
            throw XMLError(file: path, line: nil, message: "cannot create an XPath context")
        }
        defer { xmlXPathFreeContext(ctx) }
        guard let obj = xmlXPathEvalExpression(expression, ctx) else {
            throw XMLError(file: path, line: nil, message: "invalid XPath expression '\(expression)'")
        }
        defer { xmlXPathFreeObject(obj) }
        switch obj.pointee.type {
        case XPATH_NODESET:
            var out: [String] = []
            if let set = obj.pointee.nodesetval {
                for i in 0..<Int(set.pointee.nodeNr) {
                    guard let n = set.pointee.nodeTab[i] else { continue }
                    if let c = xmlNodeGetContent(n) {
                        out.append(String(cString: c))
                        vigil_xml_free(c)
                    }
                }
            }
            return .strings(out)
        case XPATH_BOOLEAN:
            return .boolean(obj.pointee.boolval != 0)
        case XPATH_NUMBER:
            return .number(obj.pointee.floatval)
        case XPATH_STRING:
            return .string(obj.pointee.stringval.map { String(cString: $0) } ?? "")
        default:
            return .strings([])
        }
    }
}
