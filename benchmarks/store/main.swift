// vigil-store-bench: times the scan store on synthetic 600-rule scans.
//
//   swift build -c release --product vigil-store-bench
//   .build/release/vigil-store-bench [DB-PATH] [SCANS]
//
// Stores SCANS scans (default 10,000) of 600 rules each into a new database, then prints
// the median time to store one scan, to compute the drift between the last two, and to
// list the history (the default 20 lines, and every scan). benchmarks/store.py runs it and
// also times the `vigil history` and `vigil drift` commands on the database it leaves.
import Foundation
import VigilCore
import VigilStore

let args = CommandLine.arguments
let path = args.count > 1 ? args[1] : NSTemporaryDirectory() + "vigil-store-bench-\(getpid()).db"
let total = args.count > 2 ? Int(args[2]) ?? 10_000 : 10_000
try? FileManager.default.removeItem(atPath: path)

let results: [XCCDFResult] = [.pass, .pass, .pass, .fail, .notapplicable, .pass, .error, .notselected]
func scan(_ n: Int) -> ScanRecord {
    let rules = (0..<600).map { i in
        RuleRecord(ruleID: "xccdf_org.ssgproject.content_rule_synthetic_rule_number_\(i)",
                   title: "Synthetic rule \(i) with a title of ordinary length", severity: ["low", "medium", "high"][i % 3],
                   result: results[(i + n / 7 * (i % 5 == 0 ? 1 : 0)) % results.count],
                   references: [RuleReference(kind: "nist-800-53", system: "NIST SP 800-53", id: "AC-\(i % 20)"),
                                RuleReference(kind: "cci", system: "http://cyber.mil/cci", id: "CCI-\(String(format: "%06d", i))")],
                   evidence: i % 8 == 3 ? "/etc/file-\(i) (owrite=true)" : nil,
                   checkSystem: i % 10 == 0 ? .native : .oval)
    }
    return ScanRecord(hostName: "node-\(n % 10)", hostID: "machine-\(n % 10)", target: "/", contentPath: "/c.xml",
                      contentSHA256: "synthetic", benchmarkID: "xccdf_bench", benchmarkVersion: "1",
                      profileID: "xccdf_bench_profile_all", vigilVersion: "bench",
                      startedAt: Date(timeIntervalSince1970: 1_700_000_000 + Double(n) * 3600),
                      finishedAt: Date(timeIntervalSince1970: 1_700_000_002 + Double(n) * 3600),
                      score: 80 - Double(n % 13), scoreMax: 100, rules: rules)
}

func milliseconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
}

func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }

let store = try ScanStore(path: path)
var saves: [Double] = []
let records = (0..<50).map(scan)
for n in 0..<total {
    let record = n < records.count ? records[n] : scan(n)
    saves.append(try milliseconds { try store.save(record) })
    if (n + 1) % 1000 == 0 { FileHandle.standardError.write(Data("stored \(n + 1) scans\r".utf8)) }
}
var drifts: [Double] = []
var changed = 0
for _ in 0..<20 {
    drifts.append(try milliseconds { changed = try store.drift(from: String(max(1, total - 10)), to: String(total)).changed.count })
}
var histories: [Double] = []
var everything: [Double] = []
var listed = 0
for _ in 0..<20 {
    histories.append(try milliseconds { listed = try store.history(limit: 20).count })
    everything.append(try milliseconds { listed = try store.history().count })
}
let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
print("database: \(path), \(total) scans of 600 rules, \(size / 1_000_000) MB")
print(String(format: "store one 600-rule scan: median %.2f ms (first 50: %.2f ms, last 50: %.2f ms)",
             median(saves), median(Array(saves.prefix(50))), median(Array(saves.suffix(50)))))
print(String(format: "drift between two 600-rule scans: median %.2f ms (%d other changes)", median(drifts), changed))
print(String(format: "history, 20 newest of %d: median %.2f ms; all %d: median %.2f ms",
             total, median(histories), listed, median(everything)))
