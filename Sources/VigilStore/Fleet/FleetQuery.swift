import Foundation
import VigilCore

/// The fleet's SQL, the same text for SQLite and PostgreSQL (`?` placeholders; the
/// PostgreSQL store numbers them). Two set-based statements, whatever the number of
/// hosts: the latest scan of each series with the one before it (window functions); and
/// the failing results of those latest scans (for the counts by severity), each marked
/// new when the scan before it did not fail that rule (NOT EXISTS), through the partial
/// index `results_failing`.
enum FleetQuery {
    /// Runs the queries through `rows` (SQL, text arguments) and joins their answers.
    static func run(_ filter: FleetFilter, rows: (String, [String]) throws -> [any SQLRow]) throws -> [FleetSeries] {
        let (whereClause, arguments) = conditions(filter)
        let latest = """
            WITH ranked AS (
              SELECT \(ScanStore.scanColumns),
                     ROW_NUMBER() OVER series AS n, LEAD(id) OVER series AS previous_id, count(*) OVER (PARTITION BY host_id, benchmark_id, profile_id) AS scans
              FROM scans \(whereClause)
              WINDOW series AS (PARTITION BY host_id, benchmark_id, profile_id ORDER BY started_at DESC, id DESC)),
            latest AS (SELECT * FROM ranked WHERE n = 1)
            """
        let width = ScanStore.scanColumnCount
        var series: [FleetSeries] = []
        var index: [Int64: Int] = [:]
        for row in try rows(latest + " SELECT * FROM latest ORDER BY host_name, host_id, benchmark_id, profile_id", arguments) {
            let scan = ScanStore.scan(from: row)
            index[scan.id] = series.count
            series.append(FleetSeries(latest: scan, previousID: row.integer(width + 1), scans: Int(row.integer(width + 2) ?? 1),
                                      failuresBySeverity: [:], regressions: []))
        }
        guard !series.isEmpty else { return [] }
        // Every failing result of the latest scans, with whether it is new since the scan before.
        for row in try rows(latest + """
            , previous AS (SELECT l.previous_id AS scan_id, ru.rule_id, r.instance FROM latest l
                           JOIN results r ON r.scan_id = l.previous_id AND r.result = 'fail' JOIN rules ru ON ru.id = r.rule)
            SELECT l.id, r.severity, ru.rule_id, r.instance,
                   CASE WHEN l.previous_id IS NOT NULL AND NOT EXISTS (
                     SELECT 1 FROM previous p WHERE p.scan_id = l.previous_id AND p.rule_id = ru.rule_id AND p.instance = r.instance)
                   THEN 1 ELSE 0 END
            FROM latest l JOIN results r ON r.scan_id = l.id AND r.result = 'fail' JOIN rules ru ON ru.id = r.rule
            ORDER BY l.id, r.seq
            """, arguments) {
            guard let id = row.integer(0), let i = index[id], let rule = row.text(2) else { continue }
            series[i].failuresBySeverity[row.text(1) ?? "unknown", default: 0] += 1
            guard row.integer(4) == 1 else { continue }
            let instance = row.text(3) ?? ""
            series[i].regressions.append(instance.isEmpty ? rule : rule + "/" + instance)
        }
        return series
    }

    /// The WHERE clause of the filter and its arguments.
    static func conditions(_ filter: FleetFilter) -> (String, [String]) {
        var clauses: [String] = []
        var arguments: [String] = []
        if let benchmark = filter.benchmark {
            clauses.append("(benchmark_id = ? OR benchmark_id LIKE ? ESCAPE '\\')")
            arguments += [benchmark, "%\\_benchmark\\_" + likeEscaped(benchmark)]
        }
        if let profile = filter.profile {
            clauses.append("(profile_id = ? OR profile_id LIKE ? ESCAPE '\\')")
            arguments += [profile, "%\\_profile\\_" + likeEscaped(profile)]
        }
        if let host = filter.host {
            let pattern = hostPattern(host)
            clauses.append("(lower(host_name) LIKE ? ESCAPE '\\' OR lower(host_id) LIKE ? ESCAPE '\\')")
            arguments += [pattern, pattern]
        }
        return (clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND "), arguments)
    }

    /// A LIKE pattern (lower case, `\` escapes) for a host filter: a glob when it holds `*`
    /// or `?`, matched whole; else a substring.
    static func hostPattern(_ host: String) -> String {
        let lower = host.lowercased()
        guard lower.contains("*") || lower.contains("?") else { return "%" + likeEscaped(lower) + "%" }
        var out = ""
        for c in lower {
            switch c {
            case "*": out += "%"
            case "?": out += "_"
            case "%", "_", "\\": out += "\\" + String(c)
            default: out.append(c)
            }
        }
        return out
    }

    /// `text` with LIKE's wildcards and escape character escaped.
    static func likeEscaped(_ text: String) -> String {
        var out = ""
        for c in text {
            if c == "%" || c == "_" || c == "\\" { out += "\\" }
            out.append(c)
        }
        return out
    }
}
