import Foundation
import VigilContent
import VigilCrypto
import VigilCore
import VigilStore

/// What the XCCDF and ARF formats need besides a scan's results: the SCAP content it
/// evaluated and, for a scan just run, its full result (the values it set, each rule's
/// time and message).
public struct SCAPSource: Sendable {
    public var content: SCAPContent
    /// The live scan's result; nil: the XCCDF TestResult is made from the stored results.
    public var result: ScanResult?
    /// The XCCDF TestResult's `<target>`; nil: the scanned system's host name. (A live scan
    /// names the scanning host there, as oscap does.)
    public var testResultTarget: String?

    public init(content: SCAPContent, result: ScanResult? = nil, testResultTarget: String? = nil) {
        self.content = content
        self.result = result
        self.testResultTarget = testResultTarget
    }
}

extension ScanResult {
    /// A stored scan as the XCCDF and ARF writers read it, with the content it was made
    /// from: weights, roles and checks come from the content; profile values the scan set
    /// are not stored and are left out.
    package init(stored scan: StoredScan, rules: [RuleRecord], content: SCAPContent) {
        let b = content.benchmark
        let oval = XCCDFNames.ovalCheckSystem
        let results = rules.map { r -> RuleResult in
            let rule = b.rules[r.ruleID]
            let ref = rule?.checks.first { $0.system == oval }?.contentRefs.first
            var check = ref.map { (system: oval, href: $0.href, name: r.instance.isEmpty ? $0.name : r.instance) }
            if rule?.checkSystem == .native, let native = rule?.allChecks.first(where: { $0.native != nil })?.native {
                check = (system: NativeCheckSystem.uri, href: "", name: native.kind)
            }
            let message = r.result.isExplainedByMessage ? r.evidence : nil
            return RuleResult(ruleID: r.ruleID, result: r.result, severity: r.severity, weight: rule?.weight ?? 1,
                              role: rule?.role ?? "full", check: r.result == .notselected ? nil : check, message: message,
                              evidence: r.evidence, instance: r.instance.isEmpty ? nil : r.instance, time: scan.finishedAt)
        }
        let scores = scan.score.map { [Score(system: scan.scoreSystem ?? "urn:xccdf:scoring:default", value: $0, maximum: scan.scoreMax ?? 100)] } ?? []
        self.init(benchmarkID: scan.benchmarkID, benchmarkVersion: scan.benchmarkVersion,
                  profileID: scan.profileID.isEmpty ? nil : scan.profileID, contentPath: scan.contentPath,
                  target: scan.target, startTime: scan.startedAt, endTime: scan.finishedAt, ruleResults: results,
                  setValues: [], scores: scores)
    }
}
