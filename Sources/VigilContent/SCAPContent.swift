import Foundation
import VigilRules
import VigilOVAL
import VigilXML

/// Loaded SCAP content ready to evaluate: a benchmark with the OVAL documents its
/// checks name and the CPE dictionary its platforms use. Reads SCAP 1.2/1.3 source
/// data streams and standalone XCCDF 1.2 benchmarks (with OVAL files beside them).
public final class SCAPContent: @unchecked Sendable {
    /// What kind of file the content came from.
    public enum Kind: Sendable {
        case dataStream(id: String, scapVersion: String)
        case benchmark
    }

    public let path: String
    public let kind: Kind
    public private(set) var benchmark: XCCDFBenchmark
    public let cpeDictionary: CPEDictionary
    /// OVAL documents of the checklist, by the href its check-content-refs use.
    public let checkDocuments: [String: OVALDocument]
    /// OVAL documents the CPE dictionary names, by href.
    public let cpeDocuments: [String: OVALDocument]
    /// Hrefs whose component is not OVAL (OCIL questionnaires...), with their system.
    public let otherComponents: [String: String]

    init(path: String, kind: Kind, benchmark: XCCDFBenchmark, cpeDictionary: CPEDictionary,
         checkDocuments: [String: OVALDocument], cpeDocuments: [String: OVALDocument],
         otherComponents: [String: String]) {
        self.path = path
        self.kind = kind
        self.benchmark = benchmark
        self.cpeDictionary = cpeDictionary
        self.checkDocuments = checkDocuments
        self.cpeDocuments = cpeDocuments
        self.otherComponents = otherComponents
    }

    /// Where the benchmark element is in the content's bytes, with the namespaces it
    /// inherits, recorded during the one parse: results are written inside a copy of it
    /// without parsing the content again (a file's bytes are read again then, not held
    /// through the scan). Nil only when the loader's benchmark cannot be found.
    package private(set) var benchmarkSource: XMLElementSource?
    /// The same for the content's root element (the data stream collection, or the
    /// benchmark): ARF carries the content it answers.
    package private(set) var rootSource: XMLElementSource?
    /// The benchmark's parsed element, kept for `remediationFixes()` and `ruleText` when
    /// the content was loaded with `ruleTexts` (a scan does not keep the tree: it is
    /// several times the size of the model).
    package private(set) var benchmarkTree: XMLElement?

    /// The data stream compiled from a rule folder, when the content is one (`path` is
    /// then the folder).
    package private(set) var compiled: [UInt8]?

    /// Compiles a rule folder (`rules/README.md`) into a source data stream, checked by
    /// loading it as a scan would.
    public static func compile(folder: String) throws -> [UInt8] {
        try loadFolder(folder, tailoring: nil).compiled ?? []
    }

    /// Compiles the rule folder and loads the result. The compiler checks raw OVAL only for
    /// well-formed XML and ids, so what the OVAL loader refuses in it (an unknown `check`,
    /// say) is reported at the rule's file and line, not at a line of the generated stream.
    private static func loadFolder(_ folder: String, tailoring: String?, ruleTexts: Bool = false) throws -> SCAPContent {
        let benchmark = try RuleFolder.load(folder)
        let bytes = Array(try DataStreamBuilder.build(benchmark).utf8)
        do {
            return try load(document: try XMLDocument.parse(bytes: bytes, label: folder, keepingSource: true), path: folder,
                            compiled: bytes, tailoring: tailoring, ruleTexts: ruleTexts)
        } catch let error as ContentError {
            throw rawOVALRule(for: error, in: benchmark) ?? error
        }
    }

    /// The error placed at the rule whose raw OVAL declares an id the message names.
    private static func rawOVALRule(for error: ContentError, in benchmark: RuleBenchmark) -> ContentError? {
        let named = error.message.split(separator: "\"", omittingEmptySubsequences: false)
            .enumerated().filter { $0.offset % 2 == 1 }.map { "id=\"\($0.element)\"" }
        for rule in benchmark.rules {
            guard case .oval(let xml, let line) = rule.check,
                  let found = named.lazy.compactMap({ xml.range(of: $0) }).first else { continue }
            // The block's first line is the line after `line` (see RuleCheckOVAL).
            let xmlLine = 1 + xml[..<found.lowerBound].utf8.count { $0 == UInt8(ascii: "\n") }
            return ContentError("\(rule.file):\(line + xmlLine)", "rule \(rule.id): raw OVAL: \(error.message)")
        }
        return nil
    }

    static let dsNamespace = "http://scap.nist.gov/schema/scap/source/1.2"
    static let xlink = "http://www.w3.org/1999/xlink"

    /// Loads content from `path`; `tailoring` adds the profiles of an XCCDF tailoring file;
    /// `ruleTexts` keeps what `remediationFixes()` and `ruleText` read (`vigil fix`, `explain`).
    /// The content is parsed once, whatever is written from it afterwards.
    public static func load(path: String, tailoring: String? = nil, ruleTexts: Bool = false) throws -> SCAPContent {
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw ContentError(path, FileManager.default.fileExists(atPath: path) ? "permission denied" : "no such file")
        }
        var isFolder: ObjCBool = false
        _ = FileManager.default.fileExists(atPath: path, isDirectory: &isFolder)
        if isFolder.boolValue { return try loadFolder(path, tailoring: tailoring, ruleTexts: ruleTexts) }
        return try load(document: try XMLDocument.parse(file: path, keepingSource: true), path: path, compiled: nil,
                        tailoring: tailoring, ruleTexts: ruleTexts)
    }

    /// Loads a data stream compiled from the rule folder `label`.
    public static func loadCompiled(_ bytes: [UInt8], label: String) throws -> SCAPContent {
        try load(document: try XMLDocument.parse(bytes: bytes, label: label, keepingSource: true), path: label,
                 compiled: bytes, tailoring: nil, ruleTexts: false)
    }

    private static func load(document doc: XMLDocument, path: String, compiled: [UInt8]?, tailoring: String?,
                             ruleTexts: Bool) throws -> SCAPContent {
        guard let root = doc.root else { throw ContentError(path, "empty document") }
        let content: SCAPContent
        switch root.name {
        case "data-stream-collection":
            content = try loadDataStream(root, path: path)
        case "Benchmark":
            content = try loadBenchmark(root, path: path)
        default:
            throw ContentError(root.location, "not SCAP content: expected <data-stream-collection> or <Benchmark>, found <\(root.name)>")
        }
        content.compiled = compiled
        let benchmark = try checklistElement(root)
        content.rootSource = root.source()
        content.benchmarkSource = benchmark?.source()
        if ruleTexts { content.benchmarkTree = benchmark }
        if let tailoring { try content.applyTailoring(tailoring) }
        return content
    }

    /// The benchmark element the loader reads in the document `root`: the root itself, or
    /// the checklist of the first data stream.
    private static func checklistElement(_ root: XMLElement) throws -> XMLElement? {
        guard root.name != "Benchmark" else { return root }
        let index = try DataStreamIndex(collection: root)
        guard let ref = index.stream.child("checklists")?.children("component-ref").first else { return nil }
        return try index.component(forRef: ref)
    }

    // MARK: standalone benchmarks (data streams: DataStreamLoader.swift)

    /// Loads a standalone XCCDF benchmark with the check files its hrefs name beside it.
    private static func loadBenchmark(_ root: XMLElement, path: String) throws -> SCAPContent {
        let benchmark = try XCCDFLoader.load(root)
        let dir = (path as NSString).deletingLastPathComponent
        var checks = CheckComponents()
        for href in Set(allCheckHrefs(benchmark)) {
            guard !href.contains("://") else { continue }
            let file = href.hasPrefix("/") ? href : (dir as NSString).appendingPathComponent(href)
            guard FileManager.default.fileExists(atPath: file) else { continue }
            let d = try XMLDocument.parse(file: file)
            guard let r = d.root else { continue }
            try checks.add(r, href: href)
        }
        return SCAPContent(path: path, kind: .benchmark, benchmark: benchmark, cpeDictionary: CPEDictionary(),
                           checkDocuments: checks.oval, cpeDocuments: [:], otherComponents: checks.others)
    }

    static func allCheckHrefs(_ b: XCCDFBenchmark) -> [String] {
        func hrefs(_ c: XCCDFComplexCheck) -> [String] {
            switch c {
            case .check(let ch): return ch.contentRefs.map(\.href)
            case .complex(_, _, let children): return children.flatMap(hrefs)
            }
        }
        return b.rules.values.flatMap { r in r.checks.flatMap { $0.contentRefs.map(\.href) } + (r.complexCheck.map(hrefs) ?? []) }
    }

    static func checkFactHrefs(_ t: CPELogicalTest) -> [String] {
        switch t {
        case .factRef: return []
        case .checkFactRef(_, let href, _): return [href]
        case .logical(_, _, let children): return children.flatMap(checkFactHrefs)
        }
    }

    // MARK: tailoring

    private func applyTailoring(_ file: String) throws {
        guard FileManager.default.isReadableFile(atPath: file) else { throw ContentError(file, "cannot read tailoring file") }
        let doc = try XMLDocument.parse(file: file)
        guard let root = doc.root, root.name == "Tailoring" else {
            throw ContentError(file, "not an XCCDF tailoring file (expected <Tailoring>)")
        }
        for p in root.children where p.name == "Profile" {
            let profile = try XCCDFLoader.profile(p, fromTailoring: true)
            if let ext = profile.extends, !benchmark.profiles.contains(where: { $0.id == ext }) {
                throw ContentError(p.location, "tailored profile \(profile.id) extends unknown profile \(ext)")
            }
            try checkReferences(p, profile: profile.id)
            benchmark.profiles.removeAll { $0.id == profile.id }
            benchmark.profiles.append(profile)
        }
        tailoringPath = file
    }

    /// Refuses a tailored profile that names a rule, group or value the benchmark does
    /// not have, or a value selector the value does not offer. oscap warns and goes on,
    /// but then a rule the tailoring means to check silently goes unchecked.
    private func checkReferences(_ profile: XMLElement, profile id: String) throws {
        for c in profile.children {
            guard let idref = c.attribute("idref") else { continue }
            switch c.name {
            case "select", "refine-rule":
                guard benchmark.rules[idref] == nil, benchmark.groups[idref] == nil else { continue }
                throw ContentError(c.location, "tailored profile \(id): <\(c.name)> names \(idref), which is no rule or group of benchmark \(benchmark.id)")
            case "refine-value", "set-value":
                guard let value = benchmark.values[idref] else {
                    throw ContentError(c.location, "tailored profile \(id): <\(c.name)> names \(idref), which is no value of benchmark \(benchmark.id)")
                }
                if c.name == "refine-value", let selector = c.attribute("selector"), value.values[selector] == nil {
                    let offered = value.values.keys.filter { !$0.isEmpty }.sorted()
                    throw ContentError(c.location, "tailored profile \(id): value \(idref) has no selector '\(selector)'"
                                       + (offered.isEmpty ? " (it offers none)" : " (it offers: \(offered.joined(separator: ", ")))"))
                }
            default:
                continue
            }
        }
    }

    /// The tailoring file, if one was applied.
    public private(set) var tailoringPath: String?
}
