import Foundation
import VigilCore
import Mustache
import VigilStore

/// The drift report as one self-contained page (`reports/html/drift.html.mustache`): the
/// two scans side by side, what changed between them, and a trend of the score and of
/// the failures over the stored scans of that host, benchmark and profile
/// (`DriftTrendChart`). Each changed rule shows its title (with a "native" marker when a
/// Vigil-native check decides it), with its id under it. Scans of an image name the
/// image each scanned (tag and short manifest digest), so the page says which image broke
/// what.
public enum DriftHTML {
    /// - Parameter trend: stored scans of the same series, any order.
    public static func html(_ d: DriftReport, trend: [StoredScan]) throws -> String {
        let template = try HTMLReport.template("drift.html.mustache")
        func card(_ s: StoredScan) -> [String: Any] {
            var card: [String: Any] = [
                "id": s.id, "started": InternetDateTime.utc(s.startedAt),
                "score": s.score.map { String(format: "%.1f", $0) } ?? "–",
                "counts": XCCDFResult.listingOrder.filter { s.count($0) > 0 && $0 != .notselected }.map { "\($0.rawValue) \(s.count($0))" }.joined(separator: " · "),
            ]
            if let image = s.system?.image { card["image"] = ImageFacts.line(image) }
            return card
        }
        var to = card(d.to)
        if let change = d.scoreChange {
            to["scoreChange"] = String(format: "%+.1f", change)
            to["trendClass"] = change >= 0 ? "up" : "down"
        }
        func rows(_ changes: [DriftReport.Change]) -> [[String: Any]] {
            changes.map { c in
                ["id": c.instance.isEmpty ? c.ruleID : "\(c.ruleID) [\(c.instance)]", "title": c.title, "severity": c.severity,
                 "from": c.from?.rawValue ?? "–", "to": c.to?.rawValue ?? "–", "evidence": DriftHTML.note(c),
                 "native": c.checkSystem == .native]
            }
        }
        let sections: [(String, String, [DriftReport.Change])] = [
            ("policy-changes", "Policy changes", d.policyChanges), ("newly-failing", "Newly failing", d.newlyFailing), ("fixed", "Fixed", d.fixed),
            ("changed", "Other changes", d.changed), ("added", "Added to the benchmark", d.added),
            ("removed", "Removed from the benchmark", d.removed),
        ]
        let series = trend.sorted { ($0.startedAt, $0.id) < ($1.startedAt, $1.id) }.suffix(50)
        let context: [String: Any] = [
            "host": d.to.hostName, "benchmark": d.to.benchmarkID,
            "profile": d.to.profileID.isEmpty ? "(default selection)" : d.to.profileID,
            "from": card(d.from), "to": to,
            // Only the sections that have rules: no heading stands over nothing.
            "sections": sections.filter { !$0.2.isEmpty }.map { key, title, changes in
                ["key": key, "title": title, "count": changes.count, "rows": rows(changes)] as [String: Any]
            },
            "unchanged": sections.allSatisfy { $0.2.isEmpty },
            "trendCount": series.count, "trendChart": DriftTrendChart.svg(Array(series)),
            "scriptSources": template.scriptSources,
        ]
        return template.template.render(context)
    }

    /// What a row says under its rule: why the policy changed its result (the values that
    /// changed, or the reason), else the evidence of a failure.
    static func note(_ c: DriftReport.Change) -> String {
        if !c.valueChanges.isEmpty { return c.valueChanges.map(\.text).joined(separator: "; ") }
        if let why = c.policyReason { return why }
        return c.to == .fail ? c.evidence ?? "" : ""
    }
}
