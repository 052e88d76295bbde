import CLibXML2
import Synchronization

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
    /// Where the bytes parsed can be had again, when the parse kept them (see
    /// `XMLElement.source()`).
    let source: XMLSourceBytes?
    /// Where the elements near the root lie in `source`.
    let spans: [xmlNodePtr: XMLSourceSpan]

    init(doc: xmlDocPtr, path: String, source: XMLSourceBytes? = nil, spans: [xmlNodePtr: XMLSourceSpan] = [:]) {
        self.doc = doc
        self.path = path
        self.source = source
        self.spans = spans
    }

    private static let parseCounter = Atomic<Int>(0)

    /// How many documents this process has parsed, for tests that prove a piece of work
    /// parses nothing again.
    package static var parses: Int { parseCounter.load(ordering: .relaxed) }

    deinit { xmlFreeDoc(doc) }

    /// Options for every parse: no network, large documents allowed, no blank text nodes,
    /// short text held in its node (the tree is never changed once parsed).
    static let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_HUGE.rawValue | XML_PARSE_NOBLANKS.rawValue
                               | XML_PARSE_COMPACT.rawValue)

    /// Parses the file at `path`: a regular file of plain, gzip or bzip2 XML, at most
    /// `XMLLimits.maxDocumentBytes` once inflated. libxml2 never opens the file itself
    /// (it would block on a FIFO and inflate gzip without a bound). `keepingSource`: see
    /// `parse(bytes:label:keepingSource:)`; the bytes are not held but read again from the
    /// file when a copy is written (`XMLSourceBytes`).
    package static func parse(file path: String, keepingSource: Bool = false) throws -> XMLDocument {
        let bytes = try XMLSourceBytes.read(path)
        return try parse(bytes: bytes, label: path, keeping: keepingSource ? .file(path, bytes) : nil)
    }

    /// Parses XML held in memory; `label` names it in error messages. `keepingSource`:
    /// the document keeps `bytes` and where its root and the two levels below it lie in
    /// them, so that `XMLElement.source()` copies those elements verbatim.
    package static func parse(bytes: [UInt8], label: String, keepingSource: Bool = false) throws -> XMLDocument {
        try parse(bytes: bytes, label: label, keeping: keepingSource ? .kept(bytes) : nil)
    }

    private static func parse(bytes: [UInt8], label: String, keeping source: XMLSourceBytes?) throws -> XMLDocument {
        guard !bytes.isEmpty else { throw XMLError(file: label, line: nil, message: "the document is empty") }
        guard bytes.count <= Int(Int32.max) else {
            throw XMLError(file: label, line: nil, message: "is \(bytes.count) bytes, more than libxml2 reads at once")
        }
        return try bytes.withUnsafeBufferPointer { buf in
            try XMLLimits.check(buf, label: label)
            let recorder = source == nil ? nil : XMLSourceRecorder(bytes: buf)
            let doc = try parse(label: label, recorder: recorder) { ctxt in readInPlace(buf, ctxt, label: label) }
            guard let recorder, let source else { return XMLDocument(doc: doc, path: label) }
            return XMLDocument(doc: doc, path: label, source: source, spans: recorder.result)
        }
    }

    /// Parses XML held in a string.
    package static func parse(string: String, label: String, keepingSource: Bool = false) throws -> XMLDocument {
        try parse(bytes: Array(string.utf8), label: label, keepingSource: keepingSource)
    }

    /// The parsed tree (owned by the caller); `recorder` records spans as it goes.
    private static func parse(label: String, recorder: XMLSourceRecorder?,
                              _ read: (xmlParserCtxtPtr) -> xmlDocPtr?) throws -> xmlDocPtr {
        XMLLibrary.initialize()
        guard let ctxt = xmlNewParserCtxt() else {
            throw XMLError(file: label, line: nil, message: "cannot create an XML parser")
        }
        defer { xmlFreeParserCtxt(ctxt) }
        parseCounter.add(1, ordering: .relaxed)
        let state = XMLParseState(recorder: recorder)
        ctxt.pointee._private = Unmanaged.passUnretained(state).toOpaque()
        recorder?.install(on: ctxt)
        // Refuse entity declarations the moment the parser meets one.
        ctxt.pointee.sax.pointee.entityDecl = { ctx, _, _, _, _, _ in
            guard let ctx else { return }
            XMLParseState.of(ctx)?.refusedEntities = true
            xmlStopParser(ctx.assumingMemoryBound(to: xmlParserCtxt.self))
        }
        let doc = withExtendedLifetime(state) { read(ctxt) }
        ctxt.pointee._private = nil
        if state.refusedEntities {
            if let doc { xmlFreeDoc(doc) }
            let line = ctxt.pointee.input.map { Int($0.pointee.line) }
            throw XMLError(file: label, line: line, message: "entity declarations are not allowed (possible entity-expansion attack)")
        }
        guard let doc, ctxt.pointee.wellFormed != 0 else {
            if let doc { xmlFreeDoc(doc) }
            throw lastError(ctxt, label: label)
        }
        return doc
    }

    /// Parses `buf` where it is: `xmlCtxtReadMemory` would copy it whole first, which costs
    /// its size again at the peak of a content load; libxml2 reads it in chunks instead.
    private static func readInPlace(_ buf: UnsafeBufferPointer<UInt8>, _ ctxt: xmlParserCtxtPtr, label: String) -> xmlDocPtr? {
        var reader = (base: buf.baseAddress!, count: buf.count, offset: 0)
        return withUnsafeMutablePointer(to: &reader) { r in
            xmlCtxtReadIO(ctxt, { context, buffer, length in
                guard let context, let buffer, length >= 0 else { return -1 }
                let r = context.assumingMemoryBound(to: (base: UnsafePointer<UInt8>, count: Int, offset: Int).self)
                let n = min(Int(length), r.pointee.count - r.pointee.offset)
                UnsafeMutableRawPointer(buffer).copyMemory(from: r.pointee.base + r.pointee.offset, byteCount: n)
                r.pointee.offset += n
                return Int32(n)
            }, nil, r, label, nil, options)
        }
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
