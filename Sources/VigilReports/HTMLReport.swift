import Foundation
import VigilCore
import Mustache
import VigilStore

/// The HTML report: one self-contained page (inline CSS, script and SVG; nothing loaded
/// from the network) rendered from `reports/html/report.html.mustache`. It shows the
/// score, the results and failures by severity as charts, and a searchable, filterable
/// table of rules, each with its evidence, description, rationale, references and fix.
/// Every value is escaped by Unicode scalar (`HTMLEscaping`), and the page's policy runs
/// only its own script, named by its SHA-256 (`InlineScripts`).
package enum HTMLReport {
    static let resultColors: [XCCDFResult: String] = [
        .pass: "#2e7d32", .fail: "#c62828", .error: "#ef6c00", .unknown: "#f9a825",
        .notapplicable: "#90a4ae", .notchecked: "#b0bec5", .notselected: "#cfd8dc",
        .informational: "#4fc3f7", .fixed: "#66bb6a",
    ]

    package static func html(_ data: ReportData, benchmarkTitle: String? = nil) throws -> String {
        let page = try template("report.html.mustache")
        let details = try template("rule-details.html.mustache")
        var context = self.context(data, benchmarkTitle: benchmarkTitle)
        let rules = context["rules"] as! [[String: Any]]
        context["details"] = try packedDetails(rules.map { details.template.render($0) })
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
        let counts = data.counts
        let countList: [[String: Any]] = XCCDFResult.listingOrder.compactMap { result in
            guard let n = counts[result], n > 0, let color = resultColors[result] else { return nil }
            return ["name": result.rawValue, "count": n, "color": color]
        }
        var labels: [String: String] = [:]
        let rules: [[String: Any]] = data.rules.map { r in
            let rec = r.record
            var waiverText = ""
            if let w = r.waiver {
                waiverText = "\(w.isExpired(on: data.generatedAt) ? "Expired on" : "Until") \(w.expires), owner \(w.owner): \(w.reason) (\(w.location))"
            }
            let refs = ReferenceGroups.of(rec.references, labels: &labels).map { ["label": $0.label, "ids": $0.ids.joined(separator: ", ")] }
            return [
                "id": rec.instance.isEmpty ? rec.ruleID : "\(rec.ruleID) [\(rec.instance)]",
                "title": rec.title, "severity": rec.severity, "result": rec.result.rawValue, "waived": r.waived,
                "waiverText": waiverText, "evidence": rec.evidence ?? "", "description": rec.description,
                "rationale": rec.rationale, "fix": rec.fixText, "refs": refs, "hasRefs": !refs.isEmpty,
            ]
        }
        return [
            "benchmarkTitle": benchmarkTitle ?? s.benchmarkID, "benchmark": s.benchmarkID,
            "benchmarkVersion": s.benchmarkVersion,
            "profile": s.profileID.isEmpty ? "(default selection)" : s.profileID,
            "host": s.hostName, "hostID": s.hostID, "target": s.target, "content": s.contentPath,
            "contentSHA": String(s.contentSHA256.prefix(16)),
            "scanLabel": s.id == 0 ? "\(s.uuid) (not stored)" : "\(s.id) (\(s.uuid))",
            "started": ISO8601DateFormatter().string(from: s.startedAt),
            "duration": String(format: "%.2f", s.finishedAt.timeIntervalSince(s.startedAt)),
            "score": s.score.map { String(format: "%.1f", $0) } ?? "–",
            "scoreSystem": s.score == nil ? "" : "of \(Int(s.scoreMax ?? 100)), \(s.scoreSystem ?? "")",
            "counts": countList, "rules": rules, "ruleCount": rules.count,
            "resultChart": donut(countList.map { ($0["count"] as! Int, $0["color"] as! String) }),
            "severityChart": severityBars(data),
            "generator": data.generator, "generatedAt": ISO8601DateFormatter().string(from: data.generatedAt),
        ]
    }

    /// A donut chart of result counts, as inline SVG.
    static func donut(_ parts: [(Int, String)]) -> String {
        let total = parts.reduce(0) { $0 + $1.0 }
        var svg = "<svg width=\"140\" height=\"140\" viewBox=\"-70 -70 140 140\" role=\"img\" aria-label=\"results\">"
        guard total > 0 else { return svg + "</svg>" }
        var angle = -Double.pi / 2
        for (count, color) in parts where count > 0 {
            let sweep = 2 * Double.pi * Double(count) / Double(total)
            if count == total {
                svg += "<circle r=\"50\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"24\"/>"
                break
            }
            let (x0, y0) = (50 * cos(angle), 50 * sin(angle))
            let (x1, y1) = (50 * cos(angle + sweep), 50 * sin(angle + sweep))
            svg += String(format: "<path d=\"M %.2f %.2f A 50 50 0 %d 1 %.2f %.2f\" fill=\"none\" stroke=\"%@\" stroke-width=\"24\"/>",
                          x0, y0, sweep > Double.pi ? 1 : 0, x1, y1, color)
            angle += sweep
        }
        return svg + "<text text-anchor=\"middle\" dy=\"6\" font-size=\"18\">\(total)</text></svg>"
    }

    /// Horizontal bars of failures (not waived) per severity, as inline SVG.
    static func severityBars(_ data: ReportData) -> String {
        let order: [Severity] = [.high, .medium, .low, .info, .unknown]
        var counts: [Severity: Int] = [:]
        for r in data.rules where r.record.result == .fail && !r.waived { counts[Severity(r.record.severity), default: 0] += 1 }
        let most = max(1, counts.values.max() ?? 1)
        var svg = "<svg width=\"260\" height=\"\(order.count * 24)\" role=\"img\" aria-label=\"failures by severity\">"
        for (i, severity) in order.enumerated() {
            let n = counts[severity] ?? 0
            let width = Int(160.0 * Double(n) / Double(most))
            svg += "<text x=\"0\" y=\"\(i * 24 + 16)\" font-size=\"12\">\(severity)</text>"
            svg += "<rect x=\"64\" y=\"\(i * 24 + 4)\" width=\"\(width)\" height=\"16\" fill=\"#c62828\"/>"
            svg += "<text x=\"\(70 + width)\" y=\"\(i * 24 + 16)\" font-size=\"12\">\(n)</text>"
        }
        return svg + "</svg>"
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
