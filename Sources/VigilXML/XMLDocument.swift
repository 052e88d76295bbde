import CLibXML2

/// An error reading or querying XML, naming the file and, where libxml2 knows it, the line.
public struct XMLError: Error, CustomStringConvertible, Sendable {
    public let file: String
    public let line: Int?
    public let message: String

    public init(file: String, line: Int?, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        if let line, line > 0 { return "\(file):\(line): \(message)" }
        return "\(file): \(message)"
    }
}

/// A parsed XML document, read with libxml2 for hostile input: no network, no
/// external entities, no DTD loading, and no entity declarations at all (they
/// have no place in SCAP content and are how entity-expansion bombs start), within
/// the bounds of `XMLLimits`.
///
/// A document is immutable once parsed, so reading it from several tasks is safe.
package final class XMLDocument: @unchecked Sendable {
    /// The file name (or label) the document was read from, for messages.
    package let path: String
    let doc: xmlDocPtr

    init(doc: xmlDocPtr, path: String) {
        self.doc = doc
        self.path = path
    }

    deinit { xmlFreeDoc(doc) }

    /// Options for every parse: no network, large documents allowed, no blank text nodes.
    static let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_HUGE.rawValue | XML_PARSE_NOBLANKS.rawValue)

    /// Parses the file at `path`: a regular file of plain, gzip or bzip2 XML, at most
    /// `XMLLimits.maxDocumentBytes` once inflated. libxml2 never opens the file itself
    /// (it would block on a FIFO and inflate gzip without a bound).
    package static func parse(file path: String) throws -> XMLDocument {
        let bytes: [UInt8]
        do {
            let raw = try InputFile.read(path, limit: XMLLimits.maxDocumentBytes)
            bytes = try Decompression.inflate(raw, file: path, limit: XMLLimits.maxDocumentBytes)
        } catch let e as InputFileError {
            throw XMLError(file: e.file, line: nil, message: e.message)
        }
        return try parse(bytes: bytes, label: path)
    }

    /// Parses XML held in memory; `label` names it in error messages.
    package static func parse(bytes: [UInt8], label: String) throws -> XMLDocument {
        guard !bytes.isEmpty else { throw XMLError(file: label, line: nil, message: "the document is empty") }
        guard bytes.count <= Int(Int32.max) else {
            throw XMLError(file: label, line: nil, message: "is \(bytes.count) bytes, more than libxml2 reads at once")
        }
        return try bytes.withUnsafeBufferPointer { buf in
            try XMLLimits.check(buf, label: label)
            return try parse(label: label) { ctxt in
                buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buf.count) {
                    xmlCtxtReadMemory(ctxt, $0, Int32(buf.count), label, nil, options)
                }
            }
        }
    }

    /// Parses XML held in a string.
    package static func parse(string: String, label: String) throws -> XMLDocument {
        try parse(bytes: Array(string.utf8), label: label)
    }

    private static func parse(label: String, _ read: (xmlParserCtxtPtr) -> xmlDocPtr?) throws -> XMLDocument {
        XMLLibrary.initialize()
        guard let ctxt = xmlNewParserCtxt() else {
            throw XMLError(file: label, line: nil, message: "cannot create an XML parser")
        }
        defer { xmlFreeParserCtxt(ctxt) }
        // Refuse entity declarations the moment the parser meets one.
        ctxt.pointee.sax.pointee.entityDecl = { ctx, _, _, _, _, _ in
            guard let ctx else { return }
            let c = ctx.assumingMemoryBound(to: xmlParserCtxt.self)
            c.pointee._private = UnsafeMutableRawPointer(bitPattern: 0x1)   // marks the refusal
            xmlStopParser(c)
        }
        let doc = read(ctxt)
        let refusedEntities = ctxt.pointee._private == UnsafeMutableRawPointer(bitPattern: 0x1)
        if refusedEntities {
            if let doc { xmlFreeDoc(doc) }
            let line = ctxt.pointee.input.map { Int($0.pointee.line) }
            throw XMLError(file: label, line: line, message: "entity declarations are not allowed (possible entity-expansion attack)")
        }
        guard let doc, ctxt.pointee.wellFormed != 0 else {
            if let doc { xmlFreeDoc(doc) }
            throw lastError(ctxt, label: label)
        }
        return XMLDocument(doc: doc, path: label)
    }

    private static func lastError(_ ctxt: xmlParserCtxtPtr, label: String) -> XMLError {
        if let err = xmlCtxtGetLastError(ctxt), err.pointee.code != 0 {
            var msg = err.pointee.message.map { String(cString: $0) } ?? "malformed XML"
            while msg.last == "\n" || msg.last == " " { msg.removeLast() }
            if err.pointee.code == Int32(XML_IO_LOAD_ERROR.rawValue) || err.pointee.code == Int32(XML_IO_ENOENT.rawValue) {
                msg = "cannot read file"
            }
            return XMLError(file: label, line: Int(err.pointee.line), message: msg)
        }
        return XMLError(file: label, line: nil, message: "cannot read or parse XML")
    }

    /// The document element.
    package var root: XMLElement? {
        guard let node = xmlDocGetRootElement(doc) else { return nil }
        return XMLElement(node: node, document: self)
    }
}

/// One-time libxml2 set-up: quiet error output (errors are reported through `XMLError`).
enum XMLLibrary {
    static let once: Void = {
        xmlInitParser()
        xmlSetStructuredErrorFunc(nil) { _, _ in }
    }()

    static func initialize() {
        _ = once
        // libxml2's error handlers are per thread.
        xmlSetStructuredErrorFunc(nil) { _, _ in }
    }
}
