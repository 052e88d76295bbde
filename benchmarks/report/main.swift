// vigil-report-bench: times every report format on a 600-rule scan and prints its size.
//
//   swift build -c release --product vigil-report-bench
//   .build/release/vigil-report-bench              # a synthetic 600-rule scan
//   .build/release/vigil-report-bench DB SCAN      # a stored scan (e.g. of the SCAP Security Guide)
//
// The synthetic rules are shaped like the SCAP Security Guide's: a 400-character
// description, a 200-character rationale, 40 references in 10 catalogues, and evidence
// on every failing rule.
import Foundation
import VigilCore
import VigilReports
import VigilStore

func syntheticScan() -> (StoredScan, [RuleRecord]) {
    let catalogues = ["https://www.iso.org/standard/54534.html", "https://www.isaca.org/resources/cobit",
                      "http://nvlpubs.nist.gov/nistpubs/SpecialPublications/NIST.SP.800-53r4.pdf",
                      "https://www.cisecurity.org/controls/", "http://cyber.mil/cci",
                      "https://public.cyber.mil/stigs/downloads/?_dl_facet_stigs=operating-systems%2Cgeneral-purpose-os",
                      "https://nvlpubs.nist.gov/nistpubs/CSWP/NIST.CSWP.04162018.pdf", "https://www.pcisecuritystandards.org",
                      "https://www.isa.org/products/ansi-isa-62443-3-3-99-03-03-2013", "https://www.hhs.gov/hipaa"]
    let results: [XCCDFResult] = [.pass, .pass, .pass, .fail, .notapplicable, .pass, .pass, .error]
    let rules = (0..<600).map { i -> RuleRecord in
        let result = results[i % results.count]
        let refs = (0..<40).map { j in
            RuleReference(kind: j % 10 == 2 ? "nist-800-53" : j % 10 == 4 ? "cci" : j % 10 == 5 ? "srg" : "other",
                          system: catalogues[j % 10], id: "\(["A", "DSS", "CM", "CIS", "CCI", "SRG", "PR", "Req", "SR", "164"][j % 10])-\(i % 50).\(j)")
        }
        return RuleRecord(ruleID: "xccdf_org.ssgproject.content_rule_synthetic_number_\(i)",
                          title: "Ensure synthetic setting number \(i) is configured as the guide says",
                          severity: ["low", "medium", "high"][i % 3], result: result, references: refs,
                          evidence: result == .fail ? "/etc/synthetic/\(i).conf (owrite=true uid=1000)" : nil,
                          description: String(repeating: "The synthetic setting controls behaviour. ", count: 10),
                          rationale: String(repeating: "It limits exposure. ", count: 10),
                          fixText: i % 2 == 0 ? "Set the value in /etc/synthetic/\(i).conf and restart the service." : "")
    }
    let scan = StoredScan(unstored: ScanRecord(hostName: "bench", hostID: "bench", target: "/", contentPath: "/c.xml",
                                               contentSHA256: String(repeating: "0", count: 64), benchmarkID: "xccdf_bench",
                                               benchmarkVersion: "1", profileID: "(all)", vigilVersion: "bench",
                                               startedAt: Date(), finishedAt: Date(), score: 70, scoreMax: 100,
                                               scoreSystem: "urn:xccdf:scoring:default", rules: rules))
    return (scan, rules)
}

let args = CommandLine.arguments
let scan: StoredScan
let rules: [RuleRecord]
if args.count >= 3 {
    let store = try ScanStore(path: args[1])
    scan = try store.scan(args[2])
    rules = try store.results(of: scan.id)
} else {
    (scan, rules) = syntheticScan()
}
let data = ReportData(scan: scan, rules: rules, generator: "bench")
print("\(rules.count) rules, \(rules.compactMap(\.evidence).reduce(0) { $0 + $1.utf8.count }) bytes of evidence")
for format in ReportFormat.available where !format.needsContent {
    var times: [Double] = []
    var size = 0
    for _ in 0..<10 {
        let start = DispatchTime.now().uptimeNanoseconds
        size = try ReportPipeline.render(format, data).count
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
    }
    print(String(format: "%-6@ render median %7.1f ms   size %8.1f KB", format.rawValue, times.sorted()[5], Double(size) / 1024))
}
