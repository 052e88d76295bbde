import Foundation
import VigilCore

/// The HTML report's charts, as inline SVG, and the counts they draw. A failure that an
/// active waiver covers is counted as `waived`, apart from its result, so that the
/// legend's `fail` and the bars of failures by severity add up to the same number.
enum HTMLCharts {
    static let colors: [String: String] = [
        "pass": "#2e7d32", "fail": "#c62828", "waived": "#6a1b9a", "error": "#ef6c00", "unknown": "#f9a825",
        "notapplicable": "#90a4ae", "notchecked": "#b0bec5", "notselected": "#cfd8dc",
        "informational": "#4fc3f7", "fixed": "#66bb6a",
    ]

    /// The legend's order: results as reports list them, waived after the failing ones.
    static let bucketOrder: [String] = {
        var names = XCCDFResult.listingOrder.map(\.rawValue)
        names.insert("waived", at: names.firstIndex(of: "notapplicable") ?? names.count)
        return names
    }()

    /// What a rule counts as in the charts and the result filter: `waived`, or its result.
    static func bucket(_ r: ReportRule) -> String { r.waived ? "waived" : r.record.result.rawValue }

    /// How many rules fall in each bucket, in `bucketOrder`, leaving out empty buckets and
    /// the rules the profile does not select (the page hides those unless asked).
    static func counts(_ rules: [ReportRule]) -> [(name: String, count: Int, color: String)] {
        var n: [String: Int] = [:]
        for r in rules where r.record.result != .notselected { n[bucket(r), default: 0] += 1 }
        return bucketOrder.compactMap { name in
            guard let count = n[name], count > 0 else { return nil }
            return (name, count, colors[name] ?? "#757575")
        }
    }

    /// A donut chart of the counts.
    static func donut(_ parts: [(name: String, count: Int, color: String)]) -> String {
        let total = parts.reduce(0) { $0 + $1.count }
        var svg = "<svg width=\"140\" height=\"140\" viewBox=\"-70 -70 140 140\" role=\"img\" aria-label=\"results\">"
        guard total > 0 else { return svg + "</svg>" }
        var angle = -Double.pi / 2
        for part in parts where part.count > 0 {
            let sweep = 2 * Double.pi * Double(part.count) / Double(total)
            if part.count == total {
                svg += "<circle r=\"50\" fill=\"none\" stroke=\"\(part.color)\" stroke-width=\"24\"/>"
                break
            }
            let (x0, y0) = (50 * cos(angle), 50 * sin(angle))
            let (x1, y1) = (50 * cos(angle + sweep), 50 * sin(angle + sweep))
            svg += String(format: "<path d=\"M %.2f %.2f A 50 50 0 %d 1 %.2f %.2f\" fill=\"none\" stroke=\"%@\" stroke-width=\"24\"/>",
                          x0, y0, sweep > Double.pi ? 1 : 0, x1, y1, part.color)
            angle += sweep
        }
        return svg + "<text text-anchor=\"middle\" dy=\"6\" font-size=\"18\">\(total)</text></svg>"
    }

    /// Horizontal bars of the failures that no waiver covers, per severity; they add up
    /// to the legend's `fail`. A page without such failures says so instead.
    static func severityBars(_ rules: [ReportRule]) -> String {
        let order: [Severity] = [.high, .medium, .low, .info, .unknown]
        var counts: [Severity: Int] = [:]
        for r in rules where bucket(r) == "fail" { counts[Severity(r.record.severity), default: 0] += 1 }
        guard let most = counts.values.max() else { return "<p class=\"none\">No failures.</p>" }
        var svg = "<svg width=\"260\" height=\"\(order.count * 24)\" role=\"img\" aria-label=\"failures by severity\">"
        for (i, severity) in order.enumerated() {
            let n = counts[severity] ?? 0
            let width = Int(160.0 * Double(n) / Double(most))
            svg += "<text x=\"0\" y=\"\(i * 24 + 16)\" font-size=\"12\">\(severity)</text>"
            svg += "<rect x=\"64\" y=\"\(i * 24 + 4)\" width=\"\(width)\" height=\"16\" fill=\"#c62828\"/>"
            svg += "<text class=\"n\" x=\"\(70 + width)\" y=\"\(i * 24 + 16)\" font-size=\"12\">\(n)</text>"
        }
        return svg + "</svg>"
    }
}
