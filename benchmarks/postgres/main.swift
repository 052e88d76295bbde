// vigil-postgres-bench: times the PostgreSQL store over loopback (benchmarks/postgres.py
// starts the server and runs it).
//
//   vigil-postgres-bench store URI [N]             store N 600-rule scans (after a warm-up): median ms
//   vigil-postgres-bench writers URI [W] [K]       W connections at once, each storing K 600-rule scans:
//                                                  count stored vs expected, time per store (p50/p90/p99/max)
//   vigil-postgres-bench fleet-fixture URI [H] [S] [R]   bulk-load H hosts x S scans of R rules (generate_series)
import Foundation
import VigilCore
import VigilStore

let args = CommandLine.arguments
guard args.count >= 3 else {
    FileHandle.standardError.write(Data("usage: vigil-postgres-bench store|writers|fleet-fixture URI [...]\n".utf8))
    exit(1)
}
let uri = args[2]
func number(_ i: Int, _ fallback: Int) -> Int { args.count > i ? Int(args[i]) ?? fallback : fallback }

let results: [XCCDFResult] = [.pass, .pass, .pass, .fail, .notapplicable, .pass, .error, .notselected]
/// A synthetic 600-rule scan, as benchmarks/store keeps them.
func scan(_ n: Int, host: String) -> ScanRecord {
    let rules = (0..<600).map { i in
        RuleRecord(ruleID: "xccdf_org.ssgproject.content_rule_synthetic_rule_number_\(i)",
                   title: "Synthetic rule \(i) with a title of ordinary length", severity: ["low", "medium", "high"][i % 3],
                   result: results[(i + n / 7 * (i % 5 == 0 ? 1 : 0)) % results.count],
                   references: [RuleReference(kind: "nist-800-53", system: "NIST SP 800-53", id: "AC-\(i % 20)"),
                                RuleReference(kind: "cci", system: "http://cyber.mil/cci", id: "CCI-\(String(format: "%06d", i))")],
                   evidence: i % 8 == 3 ? "/etc/file-\(i) (owrite=true)" : nil,
                   checkSystem: i % 10 == 0 ? .native : .oval)
    }
    return ScanRecord(hostName: host, hostID: "machine-" + host, target: "/", contentPath: "/c.xml",
                      contentSHA256: "synthetic", benchmarkID: "xccdf_bench", benchmarkVersion: "1",
                      profileID: "xccdf_bench_profile_all", vigilVersion: "bench",
                      startedAt: Date(timeIntervalSince1970: 1_700_000_000 + Double(n) * 3600),
                      finishedAt: Date(timeIntervalSince1970: 1_700_000_002 + Double(n) * 3600),
                      score: 80 - Double(n % 13), scoreMax: 100, rules: rules)
}

@Sendable func milliseconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
}

func percentile(_ xs: [Double], _ p: Double) -> Double {
    let sorted = xs.sorted()
    return sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
}

/// Times stores made by every writer at once, each on its own thread and connection.
final class Times: @unchecked Sendable { var values: [Double] = []; var failures = 0; let lock = NSLock() }
func runWriters(_ stores: [PostgresStore], _ records: [[ScanRecord]]) -> Times {
    let times = Times()
    let group = DispatchGroup()
    for (w, store) in stores.enumerated() {
        let mine = records[w]
        group.enter()
        Thread {
            for r in mine {
                do {
                    let t = try milliseconds { try store.save(r) }
                    times.lock.lock(); times.values.append(t); times.lock.unlock()
                } catch {
                    times.lock.lock(); times.failures += 1; times.lock.unlock()
                    FileHandle.standardError.write(Data("writer \(w): \(error)\n".utf8))
                }
            }
            group.leave()
        }.start()
    }
    group.wait()
    return times
}

switch args[1] {
case "store":
    let store = try PostgresStore(uri: uri)
    let n = number(3, 20)
    let records = (0...n).map { scan($0, host: "bench-store") }
    try store.save(records[0])  // warm-up: the connection's first statement and the rules
    let times = try records.dropFirst().map { r in try milliseconds { try store.save(r) } }
    print(String(format: "store one 600-rule scan: median %.1f ms (min %.1f, max %.1f, %d scans)",
                 percentile(times, 0.5), times.min()!, times.max()!, n))
case "writers":
    let writers = number(3, 50), each = number(4, 4)
    let before = try PostgresStore(uri: uri).scanCount()
    let stores = try (0..<writers).map { _ in try PostgresStore(uri: uri) }
    let records = (0..<writers).map { w in (0..<each).map { scan($0, host: "writer-\(w)") } }
    let start = DispatchTime.now().uptimeNanoseconds
    let times = runWriters(stores, records)
    let wall = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
    let stored = try PostgresStore(uri: uri).scanCount() - before
    print("\(writers) writers x \(each) scans: stored \(stored) of \(writers * each) expected, \(times.failures) failed, wall \(Int(wall)) ms")
    print(String(format: "time per store: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms",
                 percentile(times.values, 0.5), percentile(times.values, 0.9), percentile(times.values, 0.99), times.values.max() ?? 0))
    if stored != writers * each { exit(1) }
case "fleet-fixture":
    let hosts = number(3, 1000), scans = number(4, 30), rules = number(5, 200)
    let store = try PostgresStore.initialize(uri: uri)
    let ms = try milliseconds {
        try store.run(["""
            INSERT INTO rules (content_sha256, rule_id, title, refs)
            SELECT 'fixture', 'xccdf_bench_rule_' || r, 'Rule ' || r, '[]' FROM generate_series(0, \(rules - 1)) r
            """, """
            INSERT INTO scans (uuid, host_name, host_id, target, content_path, content_sha256, benchmark_id, benchmark_version,
                               profile_id, vigil_version, started_at, finished_at, score, score_max, pass, fail)
            SELECT md5(h || '-' || s), 'node-' || h, 'machine-' || h, '/', '/c.xml', 'fixture', 'xccdf_bench', '1',
                   'xccdf_bench_profile_all', 'bench', 1.7e9 + s * 86400 + h, 1.7e9 + s * 86400 + h + 2, 80, 100, \(rules) - 20, 20
            FROM generate_series(0, \(scans - 1)) s, generate_series(0, \(hosts - 1)) h ORDER BY s, h
            """, """
            INSERT INTO results (scan_id, seq, rule, instance, severity, result)
            SELECT sc.id, g.r, ru.id, '', (ARRAY['low', 'medium', 'high'])[g.r % 3 + 1],
                   CASE WHEN (g.r * 7 + sc.id * 13 + sc.id / \(hosts) * 37) % 100 < 10 THEN 'fail' ELSE 'pass' END
            FROM scans sc CROSS JOIN generate_series(0, \(rules - 1)) g(r)
            JOIN rules ru ON ru.content_sha256 = 'fixture' AND ru.rule_id = 'xccdf_bench_rule_' || g.r
            """, "ANALYZE"])
    }
    print("fleet fixture: \(hosts) hosts x \(scans) scans x \(rules) rules = \(hosts * scans * rules) results, loaded in \(Int(ms)) ms")
default:
    FileHandle.standardError.write(Data("unknown mode \(args[1])\n".utf8))
    exit(1)
}
