import Foundation
import VigilStore

/// The drift page's trend, as inline SVG: the score of each stored scan as a line on the
/// left axis (0 to the scoring maximum), its failing rules as bars on the right axis, and
/// the scans along the bottom axis, oldest first, labelled by scan number (at most
/// `maxLabels` of them, the newest always) with the first and last dates.
enum DriftTrendChart {
    static let maxLabels = 8
    static let plotWidth = 360.0, plotHeight = 130.0
    static let left = 44.0, top = 24.0, right = 44.0, bottom = 48.0

    static func svg(_ scans: [StoredScan]) -> String {
        let width = left + plotWidth + right, height = top + plotHeight + bottom
        var svg = "<svg class=\"trend\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" "
            + "aria-label=\"score and failing rules per scan\" font-size=\"11\">"
        guard !scans.isEmpty else { return svg + "<text x=\"\(Int(left))\" y=\"\(Int(top + 20))\">No stored scans.</text></svg>" }
        let scoreMax = max(1, scans.compactMap { $0.score == nil ? nil : $0.scoreMax ?? 100 }.max() ?? 100)
        let mostFails = max(1, scans.map { $0.count(.fail) }.max() ?? 1)
        let inset = 10.0, span = plotWidth - 2 * inset
        func x(_ i: Int) -> Double { scans.count > 1 ? left + inset + span * Double(i) / Double(scans.count - 1) : left + plotWidth / 2 }
        func y(_ fraction: Double) -> Double { top + plotHeight * (1 - fraction) }
        svg += axes(scoreMax: scoreMax, mostFails: mostFails)
        let barWidth = max(2, min(14, span / Double(scans.count) * 0.6))
        for (i, s) in scans.enumerated() {
            let fails = s.count(.fail), h = plotHeight * Double(fails) / Double(mostFails)
            svg += String(format: "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#ef9a9a\"><title>scan %lld: %ld failing</title></rect>",
                          x(i) - barWidth / 2, top + plotHeight - h, barWidth, h, s.id, fails)
        }
        let points = scans.enumerated().compactMap { i, s -> String? in
            s.score.map { String(format: "%.1f,%.1f", x(i), y($0 / scoreMax)) }
        }
        if !points.isEmpty {
            svg += "<polyline class=\"score\" points=\"\(points.joined(separator: " "))\" fill=\"none\" stroke=\"#1565c0\" stroke-width=\"2\"/>"
        }
        let every = max(1, Int((Double(scans.count) / Double(maxLabels)).rounded(.up)))
        let last = scans.count - 1
        let labelled = Set(stride(from: 0, to: last, by: every).filter { last - $0 >= every }).union([last])
        for (i, s) in scans.enumerated() where labelled.contains(i) {
            svg += String(format: "<text class=\"x\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%lld</text>", x(i), top + plotHeight + 14, s.id)
        }
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        svg += "<text x=\"\(Int(left))\" y=\"\(Int(height - 6))\">\(day.string(from: scans.first!.startedAt))</text>"
        svg += "<text x=\"\(Int(left + plotWidth / 2))\" y=\"\(Int(height - 6))\" text-anchor=\"middle\">scan number, oldest to newest</text>"
        svg += "<text x=\"\(Int(left + plotWidth))\" y=\"\(Int(height - 6))\" text-anchor=\"end\">\(day.string(from: scans.last!.startedAt))</text>"
        return svg + "</svg>"
    }

    /// The frame: left axis (score) and right axis (failing rules) with their ticks and
    /// titles, the bottom axis, and the legend.
    static func axes(scoreMax: Double, mostFails: Int) -> String {
        let bottomY = top + plotHeight, rightX = left + plotWidth
        var svg = "<g class=\"axes\" stroke=\"#555\">"
        svg += "<line x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left)\" y2=\"\(bottomY)\"/>"
        svg += "<line x1=\"\(rightX)\" y1=\"\(top)\" x2=\"\(rightX)\" y2=\"\(bottomY)\"/>"
        svg += "<line x1=\"\(left)\" y1=\"\(bottomY)\" x2=\"\(rightX)\" y2=\"\(bottomY)\"/></g>"
        for step in 0...4 {
            let fraction = Double(step) / 4, ty = top + plotHeight * (1 - fraction)
            svg += String(format: "<text class=\"y-score\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%@</text>", left - 4, ty + 4, number(scoreMax * fraction))
        }
        let failTicks = Array(Set([0, mostFails / 2, mostFails])).sorted()
        for n in failTicks {
            let ty = top + plotHeight * (1 - Double(n) / Double(mostFails))
            svg += String(format: "<text class=\"y-fail\" x=\"%.1f\" y=\"%.1f\">%ld</text>", rightX + 4, ty + 4, n)
        }
        svg += "<text x=\"12\" y=\"\(Int(top + plotHeight / 2))\" transform=\"rotate(-90 12 \(Int(top + plotHeight / 2)))\" text-anchor=\"middle\">score</text>"
        let rx = Int(rightX + 34), my = Int(top + plotHeight / 2)
        svg += "<text x=\"\(rx)\" y=\"\(my)\" transform=\"rotate(90 \(rx) \(my))\" text-anchor=\"middle\">failing rules</text>"
        svg += "<line x1=\"\(left)\" y1=\"10\" x2=\"\(left + 16)\" y2=\"10\" stroke=\"#1565c0\" stroke-width=\"2\"/>"
        svg += "<text x=\"\(left + 20)\" y=\"14\">score</text>"
        svg += "<rect x=\"\(left + 70)\" y=\"4\" width=\"10\" height=\"10\" fill=\"#ef9a9a\"/><text x=\"\(left + 84)\" y=\"14\">failing rules</text>"
        return svg
    }

    static func number(_ v: Double) -> String {
        v == v.rounded() ? String(Int(v)) : String(format: "%.1f", v)
    }
}
