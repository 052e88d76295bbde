import Foundation
import VigilCrypto
import VigilXML

/// Compiles a rule folder into a SCAP 1.3 source data stream: an XCCDF 1.2 benchmark,
/// its OVAL 5.11 checks, a CPE dictionary for rule platforms and the OVAL behind it.
public enum DataStreamBuilder {
    static let ovalSystem = "http://oval.mitre.org/XMLSchema/oval-definitions-5"

    /// The data stream as XML text.
    public static func build(_ b: RuleBenchmark) throws -> String {
        let ids = Ids(b)
        let oval = OVALBuilder(namespace: "\(b.namespace).\(b.id)")
        let cpeOVAL = OVALBuilder(namespace: "\(b.namespace).\(b.id).cpe")
        let valueTypes = Dictionary(b.values.map { ($0.id, $0.type) }, uniquingKeysWith: { a, _ in a })
        let (platforms, cpeItems) = cpePlatforms(b, ids, cpeOVAL)
        let choices = valueChoices(b)
        var ruleXML: [String: String] = [:]
        for rule in b.rules {
            ruleXML[rule.id] = try ruleElement(rule, ids, oval: oval, valueTypes: valueTypes, choices: choices,
                                               platforms: platforms)
        }
        let benchmark = """
            <Benchmark xmlns="http://checklists.nist.gov/xccdf/1.2" id="\(ids.benchmark)" resolved="1" xml:lang="en-US" style="SCAP_1.2">
            <status date="\(b.timestamp.prefix(10))">accepted</status>
            <title>\(xmlEscape(b.title))</title>
            <description>\(xmlEscape(b.description))</description>
            <version>\(xmlEscape(b.version))</version>
            \(profiles(b, ids).joined(separator: "\n"))
            \(b.values.map { value($0, ids) }.joined(separator: "\n"))
            \(items(b, ids, ruleXML))
            </Benchmark>
            """
        let cpeList = cpeItems.isEmpty ? "" : "<cpe-list xmlns=\"http://cpe.mitre.org/dictionary/2.0\">\(cpeItems.joined(separator: "\n"))</cpe-list>"
        let xml = dataStream(b, ids, benchmark: benchmark, oval: oval.document(timestamp: b.timestamp),
                             cpeList: cpeList, cpeOVAL: cpeItems.isEmpty ? "" : cpeOVAL.document(timestamp: b.timestamp))
        // A line break after every empty element: OpenSCAP 1.3.7's reader skips an empty
        // element that directly follows another (`<select .../><select .../>` loses every
        // second select). `/><` cannot occur in escaped text or attribute values.
        return xml.replacingOccurrences(of: "/><", with: "/>\n<")
    }

    /// One CPE name per distinct rule platform, decided by an inventory definition added
    /// to `cpeOVAL`: the names by platform, and the `<cpe-item>` of each, in rule order.
    static func cpePlatforms(_ b: RuleBenchmark, _ ids: Ids, _ cpeOVAL: OVALBuilder) -> ([RulePlatform: String], [String]) {
        var platforms: [RulePlatform: String] = [:]
        var cpeItems: [String] = []
        for rule in b.rules {
            guard let p = rule.platform, platforms[p] == nil else { continue }
            let checks = RuleCheckOVAL(oval: cpeOVAL, values: [:])
            let (name, title, criteria): (String, String, Criteria)
            switch p {
            case .package(let pkg):
                (name, title, criteria) = ("package-" + pkg, "Package \(pkg) is installed", checks.packageInstalled(pkg))
            case .file(let path):
                (name, title, criteria) = ("file-\(platforms.count + 1)", "\(path) exists", checks.anyExists([path], "\(path) exists"))
            case .kubernetesComponent(let c):
                (name, title, criteria) = ("kubernetes-" + c.rawValue, "Kubernetes component \(c.rawValue) runs on this node",
                                           checks.componentRuns(c))
            case .kubernetesDistribution(let d):
                (name, title, criteria) = ("kubernetes-" + d.rawValue, "Kubernetes distribution \(d.rawValue) is installed",
                                           checks.distributionInstalled(d))
            case .kubernetesNode:
                (name, title, criteria) = ("kubernetes-node", "A Kubernetes distribution is installed", checks.kubernetesNode())
            case .staticPod(let c):
                let manifests = KubernetesDistribution.allCases.compactMap { KubernetesLayout.manifest(c, $0) }
                (name, title, criteria) = ("kubernetes-static-pod-" + c.rawValue, "\(c.rawValue) runs as a static pod",
                                           checks.anyExists(manifests, "a static pod manifest of \(c.rawValue) exists"))
            }
            let cpe = "cpe:/a:\(cpeComponent(b.namespace)):\(cpeComponent(name))"
            let def = cpeOVAL.nextID("def")
            cpeOVAL.definition(id: def, cls: "inventory", title: title, description: title, criteria: criteria)
            platforms[p] = cpe
            cpeItems.append("<cpe-item name=\"\(xmlEscape(cpe))\"><title xml:lang=\"en-us\">\(xmlEscape(title))</title>"
                            + "<check system=\"\(ovalSystem)\" href=\"\(ids.cpeOVALName)\">\(def)</check></cpe-item>")
        }
        return (platforms, cpeItems)
    }

    /// The `<Rule>` element of `rule`, whose OVAL definition it adds to `oval`.
    static func ruleElement(_ rule: RuleSpec, _ ids: Ids, oval: OVALBuilder, valueTypes: [String: String], choices: [String: [String]],
                            platforms: [RulePlatform: String]) throws -> String {
        var x = "<Rule id=\"\(ids.rule(rule.id))\" selected=\"true\" severity=\"\(rule.severity)\" weight=\"1.0\">"
        x += "<title>\(xmlEscape(rule.title))</title><description>\(xmlEscape(rule.description))</description>"
        for (kind, id) in rule.references {
            if let href = referenceHref[kind] { x += "<reference href=\"\(href)\">\(xmlEscape(id))</reference>" }
            else { x += "<reference>\(xmlEscape(id))</reference>" }
        }
        if !rule.rationale.isEmpty { x += "<rationale>\(xmlEscape(rule.rationale))</rationale>" }
        if let p = rule.platform, let cpe = platforms[p] { x += "<platform idref=\"\(xmlEscape(cpe))\"/>" }
        if !rule.remediation.isEmpty { x += "<fixtext>\(xmlEscape(rule.remediation))</fixtext>" }
        var standard = rule
        if case .native(let n) = rule.check {
            x += nativeCheck(n.spec, ids)
            guard let fallback = rule.fallback else { return x + "</Rule>" }
            standard.check = fallback
        }
        var checks = RuleCheckOVAL(oval: oval, values: valueTypes)
        checks.choices = choices
        let criteria = try checks.criteria(standard)
        let def = oval.nextID("def")
        oval.definition(id: def, title: rule.title, description: rule.description, criteria: criteria)
        x += "<check system=\"\(ovalSystem)\">"
        for e in checks.exports { x += "<check-export value-id=\"\(ids.value(e.value))\" export-name=\"\(e.variable)\"/>" }
        return x + "<check-content-ref href=\"\(ids.ovalName)\" name=\"\(def)\"/></check></Rule>"
    }

    /// A native check in Vigil's check system: one `check-export` per referenced value
    /// (exported under its own name, as `${name}` writes it), then the kind and its
    /// parameters inline (a list is one `<vigil:param>` per entry).
    static func nativeCheck(_ spec: NativeCheckSpec, _ ids: Ids) -> String {
        var x = "<check system=\"\(NativeCheckSystem.uri)\">"
        for name in spec.valueReferences { x += "<check-export value-id=\"\(ids.value(name))\" export-name=\"\(xmlEscape(name))\"/>" }
        x += "<check-content><vigil:check xmlns:vigil=\"\(NativeCheckSystem.namespace)\" kind=\"\(xmlEscape(spec.kind))\">"
        for p in spec.parameters {
            for v in p.values { x += "<vigil:param name=\"\(xmlEscape(p.name))\">\(xmlEscape(v))</vigil:param>" }
        }
        return x + "</vigil:check></check-content></check>"
    }

    static let referenceHref = [
        "nist-800-53": "https://doi.org/10.6028/NIST.SP.800-53r5",
        "stig": "https://public.cyber.mil/stigs/",
        "srg": "https://public.cyber.mil/stigs/srg-stig-tools/",
        "cci": "https://public.cyber.mil/stigs/cci/",
        "cis": "https://www.cisecurity.org/cis-benchmarks/",
    ]

    /// A CPE 2.2 URI component: characters outside [A-Za-z0-9._-~] percent-encoded.
    static func cpeComponent(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            let c = Character(Unicode.Scalar(b))
            if c.isASCII && (c.isLetter || c.isNumber || "._-~".contains(c)) { out.append(c) }
            else { out += String(format: "%%%02x", b) }
        }
        return out.lowercased()
    }

    /// The XCCDF, OVAL and data stream ids of one benchmark.
    struct Ids {
        let ns: String, bench: String
        init(_ b: RuleBenchmark) { ns = b.namespace; bench = b.id }
        var benchmark: String { "xccdf_\(ns)_benchmark_\(bench)" }
        func rule(_ id: String) -> String { "xccdf_\(ns)_rule_\(id)" }
        func profile(_ id: String) -> String { "xccdf_\(ns)_profile_\(id)" }
        func value(_ id: String) -> String { "xccdf_\(ns)_value_\(id)" }
        func group(_ path: String) -> String {
            "xccdf_\(ns)_group_" + path.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." ? String($0) : "_" }.joined()
        }
        var ovalName: String { "\(bench)-oval.xml" }
        var cpeOVALName: String { "\(bench)-cpe-oval.xml" }
        var xccdfName: String { "\(bench)-xccdf.xml" }
        var cpeDictionaryName: String { "\(bench)-cpe-dictionary.xml" }
        func component(_ name: String) -> String { "scap_\(ns)_comp_\(name)" }
        func componentRef(_ name: String) -> String { "scap_\(ns)_cref_\(name)" }
    }

    static func profiles(_ b: RuleBenchmark, _ ids: Ids) -> [String] {
        let byID = Dictionary(b.profiles.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let values = Dictionary(b.values.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        /// A profile's rules with those of the profiles it extends (every rule is then
        /// selected or deselected explicitly, as rules are selected by default).
        func effective(_ p: RuleProfile, depth: Int = 0) -> Set<String> {
            var set = Set(p.rules)
            if depth < 32, let parent = p.extends.flatMap({ byID[$0] }) { set.formUnion(effective(parent, depth: depth + 1)) }
            return set
        }
        return b.profiles.map { p in
            let chosen = effective(p)
            var x = "<Profile id=\"\(ids.profile(p.id))\"" + (p.extends.map { " extends=\"\(ids.profile($0))\"" } ?? "") + ">"
            x += "<title>\(xmlEscape(p.title))</title><description>\(xmlEscape(p.description))</description>"
            for r in b.rules { x += "<select idref=\"\(ids.rule(r.id))\" selected=\"\(chosen.contains(r.id))\"/>" }
            for (id, choice) in p.values {
                if values[id]?.options.contains(where: { $0.selector == choice }) == true {
                    x += "<refine-value idref=\"\(ids.value(id))\" selector=\"\(xmlEscape(choice))\"/>"
                } else {
                    x += "<set-value idref=\"\(ids.value(id))\">\(xmlEscape(choice))</set-value>"
                }
            }
            return x + "</Profile>"
        }
    }

    static func value(_ v: RuleValue, _ ids: Ids) -> String {
        var x = "<Value id=\"\(ids.value(v.id))\" type=\"\(v.type)\" operator=\"equals\"><title>\(xmlEscape(v.title))</title>"
        if !v.description.isEmpty { x += "<description>\(xmlEscape(v.description))</description>" }
        x += "<value>\(xmlEscape(v.defaultValue))</value>"
        for (selector, value) in v.options { x += "<value selector=\"\(xmlEscape(selector))\">\(xmlEscape(value))</value>" }
        return x + "</Value>"
    }

    /// Rules at the top, then one Group per folder (nested as the folders are).
    static func items(_ b: RuleBenchmark, _ ids: Ids, _ ruleXML: [String: String]) -> String {
        func level(_ prefix: String) -> String {
            var out = b.rules.filter { $0.group == prefix }.compactMap { ruleXML[$0.id] }.joined(separator: "\n")
            var children: [String] = []
            for r in b.rules where r.group != prefix && (prefix.isEmpty || r.group.hasPrefix(prefix + "/")) {
                let rest = prefix.isEmpty ? r.group : String(r.group.dropFirst(prefix.count + 1))
                let child = (prefix.isEmpty ? "" : prefix + "/") + String(rest.split(separator: "/")[0])
                if !children.contains(child) { children.append(child) }
            }
            for child in children {
                let text = b.groups[child]
                let title = text?.title ?? (child as NSString).lastPathComponent
                let about = text.map { $0.description.isEmpty ? "" : "<description>\(xmlEscape($0.description))</description>" } ?? ""
                out += "\n<Group id=\"\(ids.group(child))\"><title>\(xmlEscape(title))</title>\(about)\n\(level(child))\n</Group>"
            }
            return out
        }
        return level("")
    }

    static func dataStream(_ b: RuleBenchmark, _ ids: Ids, benchmark: String, oval: String, cpeList: String, cpeOVAL: String) -> String {
        let t = b.timestamp
        let hasCPE = !cpeList.isEmpty
        func ref(_ name: String, catalog: [(String, String)] = []) -> String {
            var x = "<ds:component-ref id=\"\(ids.componentRef(name))\" xlink:href=\"#\(ids.component(name))\""
            guard !catalog.isEmpty else { return x + "/>" }
            x += "><cat:catalog>"
            for (uri, target) in catalog { x += "<cat:uri name=\"\(uri)\" uri=\"#\(ids.componentRef(target))\"/>" }
            return x + "</cat:catalog></ds:component-ref>"
        }
        func component(_ name: String, _ body: String) -> String {
            "<ds:component id=\"\(ids.component(name))\" timestamp=\"\(t)\">\n\(body)\n</ds:component>"
        }
        var checklistCatalog = [(ids.ovalName, ids.ovalName)]
        if hasCPE { checklistCatalog.append((ids.cpeDictionaryName, ids.cpeDictionaryName)) }
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <ds:data-stream-collection xmlns:ds="http://scap.nist.gov/schema/scap/source/1.2" \
            xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:cat="urn:oasis:names:tc:entity:xmlns:xml:catalog" \
            id="scap_\(b.namespace)_collection_from_\(b.id)" schematron-version="1.3">
            <ds:data-stream id="scap_\(b.namespace)_datastream_\(b.id)" scap-version="1.3" use-case="CONFIGURATION" timestamp="\(t)">
            \(hasCPE ? "<ds:dictionaries>" + ref(ids.cpeDictionaryName, catalog: [(ids.cpeOVALName, ids.cpeOVALName)]) + "</ds:dictionaries>" : "")
            <ds:checklists>\(ref(ids.xccdfName, catalog: checklistCatalog))</ds:checklists>
            <ds:checks>\(ref(ids.ovalName))\(hasCPE ? ref(ids.cpeOVALName) : "")</ds:checks>
            </ds:data-stream>
            \(hasCPE ? component(ids.cpeDictionaryName, cpeList) : "")
            \(component(ids.xccdfName, benchmark))
            \(component(ids.ovalName, oval))
            \(hasCPE ? component(ids.cpeOVALName, cpeOVAL) : "")
            </ds:data-stream-collection>

            """
    }
}
