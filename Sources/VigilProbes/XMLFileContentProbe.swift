import CLibXML2
import VigilOVAL
import VigilXML

/// `xmlfilecontent_object` (independent): evaluates an XPath 1.0 expression on XML
/// files of the target, as OpenSCAP's xmlfilecontent probe does:
///
/// - namespaces are ignored (OpenSCAP strips them with an XSLT before evaluating, so
///   `/a/b` finds `<x:a><y:b/></x:a>`); comments and processing instructions go too,
///   CDATA becomes text and adjacent text is merged, as that transform leaves it;
/// - a node set gives one `value_of` per attribute or text node (element nodes give
///   none), an empty node set gives no item; a number gives its value truncated to a
///   32-bit integer, a boolean `true`/`false`, a string itself;
/// - a file that cannot be parsed, or an expression that does not compile, sets the
///   object's flag to error and gives no item for that file.
///
/// Files on the scanned system are hostile: each is first parsed by `VigilXML`'s
/// `XMLDocument` (no network, entity declarations refused), and only then by libxml2
/// with OpenSCAP's own options (white space kept) for the evaluation. A file with an
/// internal DTD declaring entities is therefore an error here, where OpenSCAP would
/// read it.
public struct XMLFileContentProbe: Probe {
    public init() {}

    public var objectTypes: [String] { ["xmlfilecontent_object"] }

    public func collect(_ object: ResolvedObject, context: ProbeContext) -> CollectedObject {
        guard object.entity("xpath") != nil else { return .error("xmlfilecontent_object has no xpath entity") }
        var collection = FileProbeCollection(budget: context.itemBudget)
        let source = FileWalk.source(for: context)
        for variant in FileWalkVariants.expand(object) {
            guard let xpath = variant.entity("xpath")?.values.first else { continue }
            // Behaviors do not apply when filepath is used (as in OpenSCAP).
            guard let request = collection.request(failing: true, { try FileWalkRequest(object: variant, behaviorsApplyToFilepath: false) }) else { continue }
            let report = FileWalk.walk(request, source: source, isLive: context.target.pathSpelling == .asGiven) { entry in
                // Only files are read (never a fifo or device, which could block).
                guard entry.filename != nil, entry.kind == .regular || entry.kind == .symlink else { return }
                XMLFileContentProbe.evaluate(entry, xpath: xpath, target: context.target, into: &collection)
            }
            collection.absorb(report)
        }
        return collection.result
    }

    /// Adds the item (or the error) of one file.
    static func evaluate(_ entry: FileWalkEntry, xpath: String, target: Target, into collection: inout FileProbeCollection) {
        let filepath = entry.filepath
        guard let bytes = try? target.readFile(filepath) else {
            collection.fail("Can't parse '\(filepath)'.")
            return
        }
        switch XMLContentQuery.evaluate(bytes: bytes, label: filepath, xpath: xpath) {
        case .failure(let failure):
            collection.fail(failure.message)
        case .success(nil):
            break
        case .success(let result?):
            let fields = [
                OVALItemField("filepath", filepath),
                OVALItemField("path", entry.path),
                OVALItemField("filename", entry.filename ?? ""),
                OVALItemField("xpath", xpath),
            ] + result.values
            collection.add(OVALItem(status: result.status, fields: fields))
        }
    }
}

/// Evaluates XPath on XML bytes the way OpenSCAP's xmlfilecontent probe does.
enum XMLContentQuery {
    /// The `value_of` fields of one item, and its status.
    struct Result: Sendable, Equatable {
        var values: [OVALItemField]
        var status: ItemStatus = .exists
    }

    /// The item's `value_of` fields, nil when the expression selects an empty node set
    /// (no item), or a failure message.
    static func evaluate(bytes: [UInt8], label: String, xpath: String) -> Swift.Result<Result?, QueryFailure> {
        guard !bytes.isEmpty, bytes.count < Int(Int32.max) else {
            return .failure(QueryFailure("Can't parse '\(label)'."))
        }
        do {
            _ = try XMLDocument.parse(bytes: bytes, label: label)
        } catch {
            return .failure(QueryFailure("Can't parse '\(label)': \(error)"))
        }
        let parsed = bytes.withUnsafeBufferPointer { buf in
            buf.baseAddress.flatMap { base in
                base.withMemoryRebound(to: CChar.self, capacity: buf.count) {
                    xmlReadMemory($0, Int32(buf.count), label, nil, Int32(XML_PARSE_NONET.rawValue))
                }
            }
        }
        guard let doc = parsed else { return .failure(QueryFailure("Can't parse '\(label)'.")) }
        defer { xmlFreeDoc(doc) }
        NamespaceStripper.strip(doc)
        guard let ctx = xmlXPathNewContext(doc) else {
            return .failure(QueryFailure("xmlXPathNewContext() error"))
        }
        defer { xmlXPathFreeContext(ctx) }
        guard let obj = xmlXPathEvalExpression(xpath, ctx) else {
            return .failure(QueryFailure("invalid XPath expression '\(xpath)'"))
        }
        defer { xmlXPathFreeObject(obj) }
        switch obj.pointee.type {
        case XPATH_BOOLEAN:
            let b = xmlXPathCastToBoolean(obj) != 0
            return .success(Result(values: [OVALItemField("value_of", b ? "true" : "false", datatype: .boolean)]))
        case XPATH_NUMBER:
            let n = truncatedInt32(xmlXPathCastToNumber(obj))
            return .success(Result(values: [OVALItemField("value_of", String(n), datatype: .int)]))
        case XPATH_STRING:
            return .success(Result(values: [OVALItemField("value_of", takeString(xmlXPathCastToString(obj)))]))
        case XPATH_NODESET:
            guard let set = obj.pointee.nodesetval, set.pointee.nodeNr > 0, let tab = set.pointee.nodeTab else {
                return .success(nil)
            }
            var values: [OVALItemField] = []
            for i in 0..<Int(set.pointee.nodeNr) {
                guard let node = tab[i] else { continue }
                let type = node.pointee.type
                guard type == XML_ATTRIBUTE_NODE || type == XML_TEXT_NODE else { continue }
                values.append(OVALItemField("value_of", takeString(xmlNodeGetContent(node))))
            }
            return .success(Result(values: values))
        default:
            return .success(Result(values: [], status: .doesNotExist))
        }
    }

    /// C's `(int)` of a double on x86-64: out of range and NaN give INT_MIN.
    static func truncatedInt32(_ d: Double) -> Int32 {
        guard !d.isNaN, d > -2147483649.0, d < 2147483648.0 else { return Int32.min }
        return Int32(d.rounded(.towardZero))
    }

    /// Copies and frees a string libxml2 allocated.
    private static func takeString(_ p: UnsafeMutablePointer<xmlChar>?) -> String {
        guard let p else { return "" }
        defer { vigil_xml_free(p) }
        return String(cString: p)
    }
}

/// Why a content query failed: becomes a message on an error flag.
struct QueryFailure: Error, Sendable, Equatable {
    let message: String
    init(_ message: String) { self.message = message }
}

/// Rewrites a parsed document in place into what OpenSCAP's namespace-stripping XSLT
/// produces: no namespaces on elements or attributes, no comments or processing
/// instructions, CDATA as text, adjacent text nodes merged.
enum NamespaceStripper {
    static func strip(_ doc: xmlDocPtr) {
        var child = doc.pointee.children
        while let node = child {
            child = node.pointee.next
            switch node.pointee.type {
            case XML_COMMENT_NODE, XML_PI_NODE: remove(node)
            case XML_ELEMENT_NODE: clean(element: node, doc: doc)
            default: break
            }
        }
    }

    private static func remove(_ node: xmlNodePtr) {
        xmlUnlinkNode(node)
        xmlFreeNode(node)
    }

    private static func clean(element: xmlNodePtr, doc: xmlDocPtr) {
        element.pointee.ns = nil
        stripAttributes(element)
        var child = element.pointee.children
        while let node = child {
            child = node.pointee.next
            switch node.pointee.type {
            case XML_COMMENT_NODE, XML_PI_NODE:
                remove(node)
            case XML_CDATA_SECTION_NODE:
                if let text = xmlNewDocText(doc, node.pointee.content) {
                    xmlReplaceNode(node, text)
                    xmlFreeNode(node)
                } else {
                    remove(node)
                }
            case XML_ELEMENT_NODE:
                clean(element: node, doc: doc)
            default:
                break
            }
        }
        mergeText(in: element)
    }

    private static func stripAttributes(_ element: xmlNodePtr) {
        var seen: [String: xmlAttrPtr] = [:]
        var attr = element.pointee.properties
        while let a = attr {
            attr = a.pointee.next
            a.pointee.ns = nil
            let name = String(cString: a.pointee.name)
            // Two attributes with one local name: the XSLT keeps the later value.
            if let earlier = seen[name] { xmlRemoveProp(earlier) }
            seen[name] = a
        }
    }

    private static func mergeText(in parent: xmlNodePtr) {
        var child = parent.pointee.children
        while let node = child {
            guard node.pointee.type == XML_TEXT_NODE else { child = node.pointee.next; continue }
            while let next = node.pointee.next, next.pointee.type == XML_TEXT_NODE {
                if let content = next.pointee.content { xmlNodeAddContent(node, content) }
                xmlUnlinkNode(next)
                xmlFreeNode(next)
            }
            child = node.pointee.next
        }
    }
}
