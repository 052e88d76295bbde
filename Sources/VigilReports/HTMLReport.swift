import Foundation
import VigilCore
import Mustache
import VigilStore

/// The HTML report: one self-contained page (inline CSS, script and SVG; nothing loaded
/// from the network) rendered from `reports/html/report.html.mustache`. It shows the
/// score, the results and failures by severity as charts (`HTMLCharts`), and a searchable,
/// filterable list of rules, each with its evidence, description, rationale, references
/// and fix: flat, failures first (`listingOrder`), or as the benchmark's tree of Groups
/// (`HTMLGroupTree`). Rules the profile does not select are hidden unless asked; printed,
/// the page expands every failing rule.
/// Every value is escaped by Unicode scalar (`HTMLEscaping`), and the page's policy runs
/// only its own script, named by its SHA-256 (`InlineScripts`).
package enum HTMLReport {
    package static func html(_ data: ReportData, benchmarkTitle: String? = nil) throws -> String {
        let page = try template("report.html.mustache")
        let details = try template("rule-details.html.mustache")
        var context = self.context(data, benchmarkTitle: benchmarkTitle)
        let rules = context["rules"] as! [[String: Any]]
        // swift-mustache renders a section for an empty string: leave empty texts out, so
        // that no heading is written without text under it.
        context["details"] = try packedDetails(rules.map { rule in
            details.template.render(rule.filter { ($0.value as? String)?.isEmpty != true })
        })
        context["scriptSources"] = page.scriptSources
        return page.template.render(context)
    }

    /// Each rule's details (evidence, description, rationale, references, fix), as a JSON
    /// array of HTML fragments, deflated and in base64. They are most of a report's bytes
    /// and compress about fivefold; the page inflates them when it opens.
    static func packedDetails(_ fragments: [String]) throws -> String {
        let json = try JSONSerialization.data(withJSONObject: fragments, options: [.withoutEscapingSlashes])
        return try Deflate.compress(json).base64EncodedString()
    }

    /// The inverse of `packedDetails`, for tests and tools that read a report back.
    static func unpackDetails(_ page: String) throws -> [String] {
        guard let start = page.range(of: "<script id=\"details\" type=\"application/octet-stream\">"),
              let end = page.range(of: "</script>", range: start.upperBound..<page.endIndex),
              let packed = Data(base64Encoded: String(page[start.upperBound..<end.lowerBound])) else {
            throw ReportError("the page holds no packed rule details")
        }
        let json = try Deflate.decompress(packed)
        guard let fragments = try JSONSerialization.jsonObject(with: json) as? [String] else {
            throw ReportError("the packed rule details are not a list of fragments")
        }
        return fragments
    }

    /// A parsed report template and the CSP sources for its inline scripts.
    struct Template {
        let template: MustacheTemplate
        /// `'sha256-…'` sources for the page's Content-Security-Policy (see `InlineScripts`).
        let scriptSources: String
    }

    /// The template `name`, with every `{{value}}` escaped by `HTMLEscaping` (never by
    /// swift-mustache's own, Character-based, escaping).
    static func template(_ name: String) throws -> Template {
        guard let text = EmbeddedTemplates.files[name] else {
            throw ReportError("the report template \(name) is missing from this build")
        }
        HTMLEscaping.registered
        do {
            return Template(template: try MustacheTemplate(string: "{{% CONTENT_TYPE: \(HTMLEscaping.name) }}" + text),
                            scriptSources: try InlineScripts.cspSources(template: text, name: name))
        } catch let error as ReportError {
            throw error
        } catch {
            throw ReportError("the report template \(name) does not parse: \(error)")
        }
    }

    static func context(_ data: ReportData, benchmarkTitle: String?) -> [String: Any] {
        let s = data.scan
        let counts = HTMLCharts.counts(data.rules)
        let countList: [[String: Any]] = counts.map { ["name": $0.name, "count": $0.count, "color": $0.color] }
        let tree = HTMLGroupTree(paths: data.rules.map(\.record.groups))
        var labels: [String: String] = [:]
        let rules: [[String: Any]] = listingOrder(data.rules).map { i in
            let r = data.rules[i], rec = r.record
            var waiverText = ""
            if let w = r.waiver {
                waiverText = "\(w.isExpired(on: data.generatedAt) ? "Expired on" : "Until") \(w.expires), owner \(w.owner): \(w.reason) (\(w.location))"
            }
            let refs = ReferenceGroups.of(rec.references, labels: &labels).map { ["label": $0.label, "ids": $0.ids.joined(separator: ", ")] }
            return [
                "id": rec.instance.isEmpty ? rec.ruleID : "\(rec.ruleID) [\(rec.instance)]",
                "title": rec.title, "severity": rec.severity, "result": rec.result.rawValue, "waived": r.waived,
                "bucket": HTMLCharts.bucket(r), "failing": rec.result.isFailing, "notselected": rec.result == .notselected,
                "order": i, "group": tree.section(of: rec.groups).map(String.init) ?? "",
                "waiverText": waiverText, "evidence": rec.evidence ?? "", "description": rec.description,
                "rationale": rec.rationale, "fix": rec.fixText, "refs": refs, "hasRefs": !refs.isEmpty,
                "native": rec.checkSystem == .native,
            ]
        }
        let notSelected = data.rules.filter { $0.record.result == .notselected }.count
        return [
            "benchmarkTitle": benchmarkTitle ?? s.benchmarkID, "benchmark": s.benchmarkID,
            "benchmarkVersion": s.benchmarkVersion,
            "profile": s.profileID.isEmpty ? "(default selection)" : s.profileID,
            "host": s.hostName, "hostID": s.hostID, "target": s.target, "content": s.contentPath,
            "contentSHA": String(s.contentSHA256.prefix(16)),
            "scanLabel": s.id == 0 ? "\(s.uuid) (not stored)" : "\(s.id) (\(s.uuid))",
            "started": InternetDateTime.utc(s.startedAt),
            "duration": String(format: "%.2f", s.finishedAt.timeIntervalSince(s.startedAt)),
            "score": s.score.map { String(format: "%.1f", $0) } ?? "–",
            "scoreSystem": s.score == nil ? "" : "of \(Int(s.scoreMax ?? 100)), \(s.scoreSystem ?? "")",
            "counts": countList, "rules": rules, "ruleCount": rules.count - notSelected,
            "notSelected": notSelected, "hasNotSelected": notSelected > 0, "tree": tree.html,
            "resultChart": HTMLCharts.donut(counts), "severityChart": HTMLCharts.severityBars(data.rules),
            "generator": data.generator, "generatedAt": InternetDateTime.utc(data.generatedAt),
            "system": systemFacts(s),
            "targetLabel": s.system?.image == nil ? "Host" : "Image",
            "systemTitle": s.system?.image == nil ? "Scanned system" : "Scanned image",
        ]
    }

    /// The scanned system and the scan, as an assessor's report names them: label and value,
    /// the facts that are known (scans stored before Vigil recorded them have fewer). An
    /// image shows its name, reference, digests, platform and layers in place of the host's
    /// names, kernel and addresses.
    static func systemFacts(_ s: StoredScan) -> [[String: String]] {
        let id = s.system
        let os: (String, String) = ("Operating system", id.map { $0.osPrettyName.isEmpty ? "\($0.osName) \($0.osVersion)" : $0.osPrettyName } ?? "")
        let machine: [(String, String)]
        if let image = id?.image {
            machine = ImageFacts.htmlFacts(image) + [os]
        } else {
            machine = [
                ("Host name", s.hostName), ("FQDN", id?.fqdn ?? ""), ("Machine id", s.hostID), os,
                ("Kernel", id.map { "\($0.kernelRelease) \($0.kernelVersion)" } ?? ""), ("Architecture", id?.architecture ?? ""),
                ("IP addresses", id?.ipAddresses.joined(separator: ", ") ?? ""),
                ("MAC addresses", id?.macAddresses.joined(separator: ", ") ?? ""),
            ]
        }
        let facts: [(String, String)] = machine + [
            ("Target", "\(s.targetKind) \(s.target)"), ("Scanned by", id?.user ?? ""),
            ("Started", InternetDateTime.utc(s.startedAt)), ("Finished", InternetDateTime.utc(s.finishedAt)),
            ("Profile", s.profileID.isEmpty ? "(default selection)" : s.profileID),
            ("Profile title", id?.profileTitle ?? ""), ("Profile description", id?.profileDescription ?? ""),
            ("Benchmark", "\(id?.benchmarkTitle ?? s.benchmarkID) (\(s.benchmarkID) \(s.benchmarkVersion))"),
            ("Vigil", s.vigilVersion),
        ]
        return facts.compactMap { label, value in
            let text = value.trimmingCharacters(in: .whitespaces)
            return text.isEmpty ? nil : ["label": label, "value": text]
        }
    }

    /// The flat list's order, as indices into `rules`: failures first, then errors and
    /// unknown results, then waived failures, then the rest; by severity (highest first)
    /// within each, and in benchmark order among equals.
    static func listingOrder(_ rules: [ReportRule]) -> [Int] {
        func rank(_ r: ReportRule) -> Int {
            if r.waived { return 2 }
            switch r.record.result {
            case .fail: return 0
            case .error, .unknown: return 1
            default: return 3
            }
        }
        let keys = rules.map { (rank($0), -Severity($0.record.severity).rawValue) }
        return rules.indices.sorted { a, b in
            keys[a] != keys[b] ? keys[a] < keys[b] : a < b
        }
    }
}

/// A rule's references grouped by catalogue, with readable names for the catalogues the
/// SCAP Security Guide cites ("ISO 27001: A.12.1.2, A.12.4.1"), which keeps a report of
/// hundreds of rules, each citing dozens of controls, small.
enum ReferenceGroups {
    /// - Parameter labels: catalogue names already worked out, by kind and system; a
    ///   report passes the same dictionary for all its rules, as they cite the same few.
    static func of(_ refs: [RuleReference], labels: inout [String: String]) -> [(label: String, ids: [String])] {
        var order: [String] = []
        var ids: [String: [String]] = [:]
        for r in refs {
            let key = r.kind + "\u{0}" + r.system
            let label: String
            if let known = labels[key] { label = known } else { label = self.label(r); labels[key] = label }
            if ids[label] == nil { order.append(label) }
            ids[label, default: []].append(r.id)
        }
        return order.map { ($0, ids[$0]!) }
    }

    static let known: [(String, String)] = [
        ("iso.org/standard/54534", "ISO 27001"), ("isaca.org", "COBIT 5"), ("62443-3-3", "ISA 62443-3-3"),
        ("62443-2-1", "ISA 62443-2-1"), ("cisecurity.org/controls", "CIS Controls"), ("NIST.CSWP.04162018", "NIST CSF"),
        ("pcisecuritystandards", "PCI DSS"), ("hhs.gov", "HIPAA"), ("ospp", "OSPP"), ("ssi.gouv.fr", "ANSSI"), ("anssi", "ANSSI"),
        ("800-171", "NIST 800-171"), ("cjis", "CJIS"), ("nerc", "NERC CIP"),
    ]

    static func label(_ r: RuleReference) -> String {
        switch r.kind {
        case "nist-800-53": return "NIST 800-53"
        case "stig": return "STIG"
        case "srg": return "SRG"
        case "cci": return "CCI"
        case "cce": return "CCE"
        case "cis":
            if r.system.contains("cisecurity.org/controls") { return "CIS Controls" }
            return "CIS"
        default:
            if let hit = known.first(where: { r.system.contains($0.0) }) { return hit.1 }
            guard let url = URL(string: r.system), let host = url.host else { return r.system.isEmpty ? "other" : r.system }
            return host.hasPrefix("www.") ? String(host.dropFirst(4)) : host
        }
    }
}
