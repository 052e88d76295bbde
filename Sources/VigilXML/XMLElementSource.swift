import CLibXML2
import CZlib

/// Where a kept source's bytes are when a copy is written: held (XML parsed from memory,
/// such as a data stream compiled from a rule folder), or in the file it was read from,
/// read (and inflated) again then, not held through a scan. A file that no longer holds
/// the bytes parsed (size and CRC-32 checked) is an error, not a wrong copy.
package enum XMLSourceBytes: Sendable {
    case kept([UInt8])
    case file(path: String, count: Int, crc: UInt32)

    /// The file `path` for the `bytes` just read from it.
    static func file(_ path: String, _ bytes: [UInt8]) -> XMLSourceBytes {
        .file(path: path, count: bytes.count, crc: crc(bytes))
    }

    /// The bytes: held, or read again.
    func bytes() throws -> [UInt8] {
        switch self {
        case .kept(let bytes): return bytes
        case .file(let path, let count, let crc):
            let bytes = try Self.read(path)
            guard bytes.count == count, Self.crc(bytes) == crc else {
                throw XMLError(file: path, line: nil, message: "has changed since it was loaded; it cannot be copied")
            }
            return bytes
        }
    }

    /// The file at `path` as XML to parse: a regular file, inflated when gzip or bzip2,
    /// within `XMLLimits.maxDocumentBytes`.
    static func read(_ path: String) throws -> [UInt8] {
        do {
            let raw = try InputFile.read(path, limit: XMLLimits.maxDocumentBytes)
            return try Decompression.inflate(raw, file: path, limit: XMLLimits.maxDocumentBytes)
        } catch let e as InputFileError {
            throw XMLError(file: e.file, line: nil, message: e.message)
        }
    }

    static func crc(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, uInt($0.count))) }
    }
}

/// An element as XML text, ready to be copied into another document without parsing it
/// again: where its bytes are (verbatim in a UTF-8 source the parse kept, else libxml2's
/// writing of the element, held), and the namespace declarations it inherits from its
/// ancestors, which a copy must make itself. Results and ARF reports are written from these.
package struct XMLElementSource: Sendable {
    /// The bytes that hold the element.
    let origin: XMLSourceBytes
    let span: XMLSourceSpan
    /// The element's qualified name, to close an empty element given content.
    let qualifiedName: [UInt8]
    /// ` xmlns:p="uri"` for every namespace in scope that the element does not declare.
    let inheritedDeclarations: [UInt8]

    /// Whether the bytes are the parsed source's own, not libxml2's writing of the element.
    package let isVerbatim: Bool

    /// Appends the element to `out`, with its inherited namespaces declared on it and
    /// `content` (well-formed XML) as its last child.
    package func write<Out: RangeReplaceableCollection>(into out: inout Out, appending content: [UInt8] = []) throws
    where Out.Element == UInt8 {
        let bytes = try origin.bytes()
        out.append(contentsOf: bytes[span.start..<span.nameEnd])
        out.append(contentsOf: inheritedDeclarations)
        if bytes[span.contentEnd] == UInt8(ascii: "/") {
            // An empty element, `<name .../>`.
            guard !content.isEmpty else { out.append(contentsOf: bytes[span.nameEnd..<span.end]); return }
            out.append(contentsOf: bytes[span.nameEnd..<span.contentEnd])
            out.append(contentsOf: [UInt8(ascii: ">")] + content + Array("</".utf8) + qualifiedName + [UInt8(ascii: ">")])
        } else {
            out.append(contentsOf: bytes[span.nameEnd..<span.contentEnd])
            out.append(contentsOf: content)
            out.append(contentsOf: bytes[span.contentEnd..<span.end])
        }
    }

    /// The element as a UTF-8 document of its own (see `write(into:appending:)`), in
    /// `Out` (`[UInt8]`, or `Data` for a report: it is written as built, not copied).
    package func document<Out: RangeReplaceableCollection>(appending content: [UInt8] = [], as _: Out.Type = [UInt8].self) throws
    -> Out where Out.Element == UInt8 {
        var out = Out(XMLElementSource.declaration.utf8)
        out.reserveCapacity(out.count + byteCount + content.count + 1)
        try write(into: &out, appending: content)
        out.append(UInt8(ascii: "\n"))
        return out
    }

    /// About how many bytes `write(into:appending:)` adds, before `content`.
    package var byteCount: Int { span.end - span.start + inheritedDeclarations.count }

    /// The XML declaration of every document written from a source.
    package static let declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
}

extension XMLElement {
    /// The element's source: the bytes the parse recorded for it (`XMLDocument.parse(...,
    /// keepingSource: true)` records the root and the two levels below it), else the
    /// element as libxml2 writes it in UTF-8. No parse either way.
    package func source() -> XMLElementSource {
        var name = Array(self.name.utf8)
        if let prefix = node.pointee.ns?.pointee.prefix { name = Array(String(cString: prefix).utf8) + [UInt8(ascii: ":")] + name }
        let inherited = inheritedNamespaceDeclarations()
        if let origin = document.source, let span = document.spans[node] {
            return XMLElementSource(origin: origin, span: span, qualifiedName: name, inheritedDeclarations: inherited, isVerbatim: true)
        }
        let written = writtenBytes()
        var contentEnd = written.count - 2     // the `/` of `/>`
        if let close = written.lastIndex(of: UInt8(ascii: "<")), close > 0, written[close + 1] == UInt8(ascii: "/") {
            contentEnd = close
        }
        let span = XMLSourceSpan(start: 0, nameEnd: 1 + name.count, contentEnd: contentEnd, end: written.count)
        return XMLElementSource(origin: .kept(written), span: span, qualifiedName: name, inheritedDeclarations: inherited,
                                isVerbatim: false)
    }

    /// The element as libxml2 writes it (UTF-8, namespaces declared on ancestors left out).
    private func writtenBytes() -> [UInt8] {
        guard let buffer = xmlBufferCreate() else { return [] }
        defer { xmlBufferFree(buffer) }
        xmlNodeDump(buffer, node.pointee.doc, node, 0, 0)
        guard let content = xmlBufferContent(buffer) else { return [] }
        return Array(UnsafeBufferPointer(start: content, count: Int(xmlBufferLength(buffer))))
    }

    /// ` xmlns:p="uri"` (` xmlns="uri"` for the default namespace) for each namespace an
    /// ancestor declares that neither the element nor a nearer ancestor declares again.
    private func inheritedNamespaceDeclarations() -> [UInt8] {
        var declared = Set<String>()
        var out = ""
        var current: xmlNodePtr? = node
        var own = true
        while let n = current, n.pointee.type == XML_ELEMENT_NODE {
            var ns = n.pointee.nsDef
            while let d = ns {
                let prefix = d.pointee.prefix.map { String(cString: $0) }
                if declared.insert(prefix ?? "").inserted, !own {
                    let href = d.pointee.href.map { String(cString: $0) } ?? ""
                    out += " xmlns" + (prefix.map { ":" + $0 } ?? "") + "=\"" + xmlEscape(href) + "\""
                }
                ns = d.pointee.next
            }
            own = false
            current = n.pointee.parent
        }
        return Array(out.utf8)
    }
}
