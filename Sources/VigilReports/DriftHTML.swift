import Foundation
import VigilCore
import Mustache
import VigilStore

/// The drift report as one self-contained page (`reports/html/drift.html.mustache`): the
/// two scans side by side, what changed between them, and a trend of the score and of
/// the failures over the stored scans of that host, benchmark and profile.
public enum DriftHTML {
    /// - Parameter trend: stored scans of the same series, any order.
    public static func html(_ d: DriftReport, trend: [StoredScan]) throws -> String {
        let template = try HTMLReport.template("drift.html.mustache")
        func card(_ s: StoredScan) -> [String: Any] {
            ["id": s.id, "started": ISO8601DateFormatter().string(from: s.startedAt),
             "score": s.score.map { String(format: "%.1f", $0) } ?? "–",
             "counts": XCCDFResult.listingOrder.filter { s.count($0) > 0 && $0 != .notselected }.map { "\($0.rawValue) \(s.count($0))" }.joined(separator: " · ")]
        }
        var to = card(d.to)
        if let change = d.scoreChange {
            to["scoreChange"] = String(format: "%+.1f", change)
            to["trendClass"] = change >= 0 ? "up" : "down"
        }
        func rows(_ changes: [DriftReport.Change]) -> [[String: Any]] {
            changes.map { c in
                ["id": c.instance.isEmpty ? c.ruleID : "\(c.ruleID) [\(c.instance)]", "title": c.title, "severity": c.severity,
                 "from": c.from?.rawValue ?? "–", "to": c.to?.rawValue ?? "–", "evidence": c.to == .fail ? c.evidence ?? "" : ""]
            }
        }
        let sections: [(String, String, [DriftReport.Change])] = [
            ("newly-failing", "Newly failing", d.newlyFailing), ("fixed", "Fixed", d.fixed),
            ("changed", "Other changes", d.changed), ("added", "Added to the benchmark", d.added),
            ("removed", "Removed from the benchmark", d.removed),
        ]
        let series = trend.sorted { ($0.startedAt, $0.id) < ($1.startedAt, $1.id) }.suffix(50)
        let context: [String: Any] = [
            "host": d.to.hostName, "benchmark": d.to.benchmarkID,
            "profile": d.to.profileID.isEmpty ? "(default selection)" : d.to.profileID,
            "from": card(d.from), "to": to,
            "sections": sections.map { key, title, changes in
                ["key": key, "title": title, "count": changes.count, "rows": rows(changes), "hasRows": !changes.isEmpty] as [String: Any]
            },
            "trendCount": series.count, "trendChart": trendChart(Array(series)),
            "scriptSources": template.scriptSources,
        ]
        return template.template.render(context)
    }

    /// Score (line) and failures (bars) per scan, oldest first, as inline SVG.
    static func trendChart(_ scans: [StoredScan]) -> String {
        let width = 360.0, height = 120.0
        var svg = "<svg width=\"\(Int(width))\" height=\"\(Int(height) + 20)\" role=\"img\" aria-label=\"trend\">"
        guard !scans.isEmpty else { return svg + "</svg>" }
        let step = scans.count > 1 ? width / Double(scans.count - 1) : 0
        let mostFails = Double(max(1, scans.map { $0.count(.fail) }.max() ?? 1))
        for (i, s) in scans.enumerated() {
            let h = height * 0.8 * Double(s.count(.fail)) / mostFails
            svg += String(format: "<rect x=\"%.1f\" y=\"%.1f\" width=\"4\" height=\"%.1f\" fill=\"#ef9a9a\"><title>scan %lld: %ld failing</title></rect>",
                          Double(i) * step, height - h, h, s.id, s.count(.fail))
        }
        let points = scans.enumerated().compactMap { i, s -> String? in
            guard let score = s.score else { return nil }
            let maximum = max(1, s.scoreMax ?? 100)
            return String(format: "%.1f,%.1f", Double(i) * step + 2, height - height * score / maximum)
        }
        if !points.isEmpty {
            svg += "<polyline points=\"\(points.joined(separator: " "))\" fill=\"none\" stroke=\"#1565c0\" stroke-width=\"2\"/>"
        }
        svg += "<text x=\"0\" y=\"\(Int(height) + 16)\" font-size=\"11\">score (line), failing rules (bars)</text>"
        return svg + "</svg>"
    }
}
