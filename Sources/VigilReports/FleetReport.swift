import Foundation
import VigilStore

/// What `vigil fleet` shows: per host, the latest scan of each benchmark and profile, with
/// its age, score, counts, failures by severity and regressions; in JSON or as a
/// self-contained HTML page (the text table is the command's).
public struct FleetReport: Sendable {
    /// One series' line.
    public struct Entry: Sendable, Codable, Equatable {
        public var host: String
        public var hostID: String
        public var benchmark: String
        public var profile: String
        public var targetKind: String
        public var scan: Int64
        public var uuid: String
        public var scans: Int
        public var lastScan: Date
        /// Seconds since the latest scan started.
        public var ageSeconds: Int
        public var score: Double?
        public var pass: Int
        public var fail: Int
        public var error: Int
        public var failuresBySeverity: [String: Int]
        /// Rules failing in the latest scan that did not fail in the one before it.
        public var regressions: [String]

        enum CodingKeys: String, CodingKey {
            case host, hostID = "host_id", benchmark, profile, targetKind = "target_kind", scan, uuid, scans
            case lastScan = "last_scan", ageSeconds = "age_seconds", score, pass, fail, error
            case failuresBySeverity = "failures_by_severity", regressions
        }
    }

    public var entries: [Entry]
    public var generatedAt: Date

    /// The report of `series` at `now`; with `staleAfter`, only the hosts whose newest scan
    /// (of any series) started longer ago than that many seconds.
    public init(_ series: [FleetSeries], now: Date = Date(), staleAfter: TimeInterval? = nil) {
        generatedAt = now
        var newest: [String: Date] = [:]
        for s in series { newest[s.latest.hostID] = max(newest[s.latest.hostID] ?? .distantPast, s.latest.startedAt) }
        entries = series.filter { s in
            guard let staleAfter else { return true }
            return now.timeIntervalSince(newest[s.latest.hostID] ?? .distantPast) > staleAfter
        }.map { s in
            let scan = s.latest
            return Entry(host: scan.hostName, hostID: scan.hostID, benchmark: scan.benchmarkID, profile: scan.profileID,
                         targetKind: scan.targetKind, scan: scan.id, uuid: scan.uuid, scans: s.scans, lastScan: scan.startedAt,
                         ageSeconds: max(0, Int(now.timeIntervalSince(scan.startedAt))), score: scan.score,
                         pass: scan.count(.pass), fail: scan.count(.fail), error: scan.count(.error),
                         failuresBySeverity: s.failuresBySeverity, regressions: s.regressions)
        }
    }

    /// An age as people read it: "45s", "12m", "5h", "3d".
    public static func age(_ seconds: Int) -> String {
        switch seconds {
        case ..<120: return "\(seconds)s"
        case ..<7200: return "\(seconds / 60)m"
        case ..<172_800: return "\(seconds / 3600)h"
        default: return "\(seconds / 86400)d"
        }
    }

    /// A self-contained HTML page: one table, every text escaped, no script, no outside resource.
    public func html() -> String {
        func e(_ s: String) -> String { HTMLEscaping.escape(s) }
        var rows = ""
        for x in entries {
            let severities = ["high", "medium", "low"].map { "<td class=n>\(x.failuresBySeverity[$0] ?? 0)</td>" }.joined()
            let regressions = x.regressions.isEmpty ? "<td class=n>0</td>"
                : "<td class='n bad' title='\(e(x.regressions.joined(separator: "\n")))'>\(x.regressions.count)</td>"
            rows += "<tr><td>\(e(x.host))<div class=id>\(e(x.hostID))</div></td><td>\(e(x.benchmark))</td><td>\(x.profile.isEmpty ? "(default)" : e(x.profile))</td>"
                + "<td>\(e(Self.isoDate(x.lastScan)))</td><td class=n>\(Self.age(x.ageSeconds))</td>"
                + "<td class=n>\(x.score.map { String(format: "%.2f", $0) } ?? "-")</td><td class=n>\(x.pass)</td>"
                + "<td class='n\(x.fail > 0 ? " bad" : "")'>\(x.fail)</td>\(severities)\(regressions)<td>\(e(x.targetKind))</td></tr>\n"
        }
        let hosts = Set(entries.map(\.hostID)).count
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Vigil fleet</title>
            <style>
            body{font-family:system-ui,sans-serif;margin:2em;color:#1b1f24}table{border-collapse:collapse;width:100%}
            th,td{border-bottom:1px solid #d0d7de;padding:.35em .6em;text-align:left;vertical-align:top}
            th{background:#f6f8fa}.n{text-align:right;font-variant-numeric:tabular-nums}.bad{color:#b42318;font-weight:600}
            .id{color:#57606a;font-size:.8em}
            </style></head><body>
            <h1>Vigil fleet</h1>
            <p>\(hosts) host\(hosts == 1 ? "" : "s"), \(entries.count) series; generated \(e(Self.isoDate(generatedAt))).</p>
            <table><thead><tr><th>Host</th><th>Benchmark</th><th>Profile</th><th>Last scan</th><th>Age</th><th>Score</th>
            <th>Pass</th><th>Fail</th><th>High</th><th>Medium</th><th>Low</th><th>Regressions</th><th>Target</th></tr></thead>
            <tbody>
            \(rows)</tbody></table></body></html>

            """
    }

    static func isoDate(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        return f.string(from: date)
    }
}
