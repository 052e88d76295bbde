import VigilOVAL
import VigilXML

/// The first data stream of a source data stream collection, with what its hrefs resolve
/// through: the collection's components by id and the stream's component-refs by id.
struct DataStreamIndex {
    let stream: XMLElement
    /// `component` and `extended-component` elements of the collection, by id.
    let components: [String: XMLElement]
    /// The stream's `component-ref` elements (of every section), by id.
    let refs: [String: XMLElement]

    /// Indexes the collection `root`; throws when it holds no `<data-stream>`.
    init(collection root: XMLElement) throws {
        var components: [String: XMLElement] = [:]
        var streams: [XMLElement] = []
        for c in root.children {
            if c.name == "component" || c.name == "extended-component", let id = c.attribute("id") { components[id] = c }
            if c.name == "data-stream" { streams.append(c) }
        }
        guard let stream = streams.first else { throw ContentError(root.location, "data stream collection holds no <data-stream>") }
        var refs: [String: XMLElement] = [:]
        for section in stream.children { for r in section.children where r.name == "component-ref" {
            if let id = r.attribute("id") { refs[id] = r }
        } }
        self.stream = stream
        self.components = components
        self.refs = refs
    }

    /// The body (first child) of the component `ref` points at; throws when it points
    /// outside the data stream or at a component the collection does not hold.
    func component(forRef ref: XMLElement) throws -> XMLElement {
        guard let href = ref.attribute("href", namespace: SCAPContent.xlink), href.hasPrefix("#") else {
            throw ContentError(ref.location, "component-ref \(ref.attribute("id") ?? "") points outside the data stream; Vigil does not fetch remote components")
        }
        guard let comp = components[String(href.dropFirst())], let body = comp.children.first else {
            throw ContentError(ref.location, "component-ref \(ref.attribute("id") ?? "") names missing component \(href)")
        }
        return body
    }

    /// The XML catalog of a component-ref: uri name → target (`#component-ref-id`).
    static func catalog(_ ref: XMLElement) -> [String: String] {
        var out: [String: String] = [:]
        for cat in ref.children where cat.name == "catalog" {
            for uri in cat.children where uri.name == "uri" {
                if let name = uri.attribute("name"), let target = uri.attribute("uri") { out[name] = target }
            }
        }
        return out
    }

    /// The component body `href` names, through `catalog`; nil when it names no
    /// component-ref of the stream, or one outside the data stream.
    func resolve(_ href: String, _ catalog: [String: String]) throws -> XMLElement? {
        let target = catalog[href] ?? href
        guard target.hasPrefix("#"), let ref = refs[String(target.dropFirst())] else { return nil }
        // A component outside the data stream (e.g. a vendor's remote OVAL feed) is never
        // fetched: rules that need it report notchecked.
        if let h = ref.attribute("href", namespace: SCAPContent.xlink), !h.hasPrefix("#") { return nil }
        return try component(forRef: ref)
    }

    /// The OVAL document `href` names through `catalog`; nil when it names none.
    func ovalDocument(_ href: String, _ catalog: [String: String]) throws -> OVALDocument? {
        guard let oval = try resolve(href, catalog), oval.name == "oval_definitions" else { return nil }
        return try OVALLoader.load(oval)
    }
}

/// The components a benchmark's check hrefs name: OVAL documents, and for any other kind
/// (OCIL questionnaires...) its system.
struct CheckComponents {
    var oval: [String: OVALDocument] = [:]
    var others: [String: String] = [:]

    /// Files the component body `body` under `href`.
    mutating func add(_ body: XMLElement, href: String) throws {
        if body.name == "oval_definitions" {
            oval[href] = try OVALLoader.load(body)
        } else {
            others[href] = body.namespace ?? body.name
        }
    }
}

extension SCAPContent {
    /// Loads the first data stream of the collection `root`: its checklist's benchmark,
    /// the check components the benchmark names, and the CPE dictionary with its OVAL.
    static func loadDataStream(_ root: XMLElement, path: String) throws -> SCAPContent {
        let index = try DataStreamIndex(collection: root)
        let stream = index.stream
        guard let checklistRef = stream.child("checklists")?.children("component-ref").first else {
            throw ContentError(stream.location, "data stream \(stream.attribute("id") ?? "") has no checklist")
        }
        let benchmark = try XCCDFLoader.load(try index.component(forRef: checklistRef))
        let checklistCatalog = DataStreamIndex.catalog(checklistRef)
        var checks = CheckComponents()
        for href in Set(allCheckHrefs(benchmark)) {
            if let body = try index.resolve(href, checklistCatalog) { try checks.add(body, href: href) }
        }
        var (dictionary, cpeDocs) = try cpeDictionary(index)
        try addPlatformDocuments(benchmark, index, catalog: checklistCatalog, to: &cpeDocs)
        let kind = Kind.dataStream(id: stream.attribute("id") ?? "", scapVersion: stream.attribute("scap-version") ?? "")
        return SCAPContent(path: path, kind: kind, benchmark: benchmark, cpeDictionary: dictionary,
                           checkDocuments: checks.oval, cpeDocuments: cpeDocs, otherComponents: checks.others)
    }

    /// The CPE dictionaries of the stream merged into one, with the OVAL documents their
    /// checks name, by href.
    private static func cpeDictionary(_ index: DataStreamIndex) throws -> (CPEDictionary, [String: OVALDocument]) {
        var dictionary = CPEDictionary()
        var cpeDocs: [String: OVALDocument] = [:]
        for dictRef in index.stream.child("dictionaries")?.children("component-ref") ?? [] {
            let body = try index.component(forRef: dictRef)
            guard body.name == "cpe-list" else { continue }
            let d = CPELoader.dictionary(body)
            let cat = DataStreamIndex.catalog(dictRef)
            for (name, check) in d.checks {
                dictionary.checks[name] = check
                if cpeDocs[check.href] == nil, let oval = try index.ovalDocument(check.href, cat) {
                    cpeDocs[check.href] = oval
                }
            }
        }
        return (dictionary, cpeDocs)
    }

    /// Adds the OVAL documents that platforms given as check-fact-ref name directly.
    private static func addPlatformDocuments(_ benchmark: XCCDFBenchmark, _ index: DataStreamIndex,
                                             catalog: [String: String], to cpeDocs: inout [String: OVALDocument]) throws {
        for platform in benchmark.platformSpecification.values {
            for href in checkFactHrefs(platform.test) where cpeDocs[href] == nil {
                if let oval = try index.ovalDocument(href, catalog) { cpeDocs[href] = oval }
            }
        }
    }
}
