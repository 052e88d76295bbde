import CLibXML2

/// Where one element lies in the bytes it was parsed from.
struct XMLSourceSpan: Sendable {
    /// The `<` of the start tag.
    var start: Int
    /// Just past the qualified name in the start tag.
    var nameEnd: Int
    /// The `<` of the end tag, or the `/` of an empty element's `/>`.
    var contentEnd: Int
    /// Just past the element.
    var end: Int
}

/// What one parse needs besides libxml2's context (reached through the context's
/// `_private`): whether an entity declaration was refused, and the span recorder.
final class XMLParseState {
    var refusedEntities = false
    let recorder: XMLSourceRecorder?

    init(recorder: XMLSourceRecorder?) { self.recorder = recorder }

    static func of(_ ctx: UnsafeMutableRawPointer) -> XMLParseState? {
        guard let state = ctx.assumingMemoryBound(to: xmlParserCtxt.self).pointee._private else { return nil }
        return Unmanaged<XMLParseState>.fromOpaque(state).takeUnretainedValue()
    }
}

/// Records, during the one parse, where the elements at most `maxDepth` below the root lie
/// in the source bytes, by libxml2's input position when the element starts and ends
/// (around libxml2's own SAX2 handlers, which build the tree). An attribute value cannot
/// hold a raw `<`, nor an end tag, so a tag starts at the last `<` before its end. Every
/// span is checked against the bytes (the `<`, the name, the `>`); when one does not fit,
/// or libxml2 converts the input from another encoding (its positions are then not the
/// source's), nothing is recorded and `XMLElement.source()` has libxml2 write the element.
final class XMLSourceRecorder {
    /// Depth of the deepest element recorded: the root (0), a data stream's components (1)
    /// and their bodies (2), such as a benchmark.
    static let maxDepth = 2

    let bytes: UnsafeBufferPointer<UInt8>
    private(set) var spans: [xmlNodePtr: XMLSourceSpan] = [:]
    private(set) var failed = false
    private var depth = 0
    private var open: [(node: xmlNodePtr, span: XMLSourceSpan)] = []
    private var defaultStart: startElementNsSAX2Func?
    private var defaultEnd: endElementNsSAX2Func?

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// The spans recorded, when every one fitted and every element was closed.
    var result: [xmlNodePtr: XMLSourceSpan] { failed || !open.isEmpty ? [:] : spans }

    /// Puts the recorder around the SAX2 element handlers of `ctxt`.
    func install(on ctxt: xmlParserCtxtPtr) {
        guard let sax = ctxt.pointee.sax else { failed = true; return }
        defaultStart = sax.pointee.startElementNs
        defaultEnd = sax.pointee.endElementNs
        sax.pointee.startElementNs = { ctx, localname, prefix, uri, nbNamespaces, namespaces, nbAttributes, nbDefaulted, attributes in
            guard let ctx, let recorder = XMLParseState.of(ctx)?.recorder else { return }
            recorder.defaultStart?(ctx, localname, prefix, uri, nbNamespaces, namespaces, nbAttributes, nbDefaulted, attributes)
            recorder.started(ctx.assumingMemoryBound(to: xmlParserCtxt.self), prefix: prefix, localname: localname)
        }
        sax.pointee.endElementNs = { ctx, localname, prefix, uri in
            guard let ctx, let recorder = XMLParseState.of(ctx)?.recorder else { return }
            recorder.ended(ctx.assumingMemoryBound(to: xmlParserCtxt.self))
            recorder.defaultEnd?(ctx, localname, prefix, uri)
        }
    }

    /// After libxml2 built the element (`ctxt.node`); the input is at the start tag's `>` or `/>`.
    func started(_ ctxt: xmlParserCtxtPtr, prefix: UnsafePointer<xmlChar>?, localname: UnsafePointer<xmlChar>?) {
        defer { depth += 1 }
        guard !failed, depth <= Self.maxDepth else { return }
        guard let node = ctxt.pointee.node, let localname, let tagEnd = position(ctxt), tagEnd < bytes.count,
              bytes[tagEnd] == UInt8(ascii: ">") || (bytes[tagEnd] == UInt8(ascii: "/") && byte(tagEnd + 1) == UInt8(ascii: ">")),
              let start = lastTagOpen(before: tagEnd) else { failed = true; return }
        var name: [UInt8] = []
        if let prefix { name += bytes(of: prefix) + [UInt8(ascii: ":")] }
        name += bytes(of: localname)
        let nameEnd = start + 1 + name.count
        guard nameEnd <= tagEnd, bytes[(start + 1)..<nameEnd].elementsEqual(name),
              [UInt8(ascii: " "), 0x09, 0x0A, 0x0D, UInt8(ascii: ">"), UInt8(ascii: "/")].contains(bytes[nameEnd]) else {
            failed = true
            return
        }
        open.append((node, XMLSourceSpan(start: start, nameEnd: nameEnd, contentEnd: tagEnd, end: tagEnd)))
    }

    /// Before libxml2 closes the element (`ctxt.node`); the input is just past its end.
    func ended(_ ctxt: xmlParserCtxtPtr) {
        depth -= 1
        guard !failed, depth <= Self.maxDepth else { return }
        guard let (node, opened) = open.popLast(), ctxt.pointee.node == node, let end = position(ctxt),
              end > opened.contentEnd, end <= bytes.count, bytes[end - 1] == UInt8(ascii: ">") else { failed = true; return }
        var span = opened
        if bytes[span.contentEnd] == UInt8(ascii: "/") {
            guard end == span.contentEnd + 2 else { failed = true; return }
        } else {
            guard let close = lastTagOpen(before: end - 1), close > span.contentEnd, byte(close + 1) == UInt8(ascii: "/") else {
                failed = true
                return
            }
            span.contentEnd = close
        }
        span.end = end
        spans[node] = span
    }

    /// The input's offset in the source bytes; nil when libxml2 reads converted input.
    private func position(_ ctxt: xmlParserCtxtPtr) -> Int? {
        guard let input = ctxt.pointee.input, let cur = input.pointee.cur, let base = input.pointee.base else { return nil }
        if let buffer = input.pointee.buf, buffer.pointee.encoder != nil { return nil }
        return Int(input.pointee.consumed) + (cur - base)
    }

    private func byte(_ i: Int) -> UInt8? { i < bytes.count ? bytes[i] : nil }

    private func lastTagOpen(before i: Int) -> Int? {
        var j = i - 1
        while j >= 0 {
            if bytes[j] == UInt8(ascii: "<") { return j }
            j -= 1
        }
        return nil
    }

    private func bytes(of s: UnsafePointer<xmlChar>) -> [UInt8] {
        var out: [UInt8] = []
        var p = s
        while p.pointee != 0 { out.append(p.pointee); p += 1 }
        return out
    }
}
