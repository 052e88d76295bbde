import Foundation
import VigilCore
import VigilStore

/// One scan ready to be reported in any format, the input of `ReportPipeline`: its stored
/// form (or its unstored record) and its rules, with waivers applied, and the SCAP content
/// for the formats that need it.
public struct ReportData: Sendable {
    public var scan: StoredScan
    public var rules: [ReportRule]
    /// The Vigil that writes the report.
    public var generator: String
    /// When the report was made.
    public var generatedAt: Date
    /// The benchmark's title, when the content is at hand (stored scans keep its id only).
    public var benchmarkTitle: String?
    /// The content the scan evaluated, for XCCDF and ARF (`ReportFormat.needsContent`).
    public var scap: SCAPSource?
    /// Whether the JSON report lists the rules the profile does not select
    /// (`--include-notselected`); by default it leaves them out.
    public var includeNotselected = false

    public init(scan: StoredScan, rules: [RuleRecord], waivers: WaiverList? = nil,
                generator: String = VigilVersion.current, now: Date = Date(), scap: SCAPSource? = nil) {
        self.scan = scan
        self.generator = generator
        self.generatedAt = now
        self.scap = scap
        self.rules = rules.map { record in
            let waiver = waivers?.waiver(for: record.ruleID)
            return ReportRule(record: record, waiver: waiver,
                              waived: waiver.map { !$0.isExpired(on: now) } ?? false && record.result.isFailing)
        }
    }

    /// How many rules have each result.
    public var counts: [XCCDFResult: Int] {
        var c: [XCCDFResult: Int] = [:]
        for r in rules { c[r.record.result, default: 0] += 1 }
        return c
    }

    /// The scanned system's identity; a scan stored before Vigil recorded it has its host
    /// name only.
    public var system: SystemIdentity { scan.system ?? SystemIdentity(hostName: scan.hostName) }

    /// The benchmark's title: the one recorded with the scan, else the content's.
    public var benchmarkName: String {
        let stored = scan.system?.benchmarkTitle ?? ""
        return stored.isEmpty ? benchmarkTitle ?? "" : stored
    }

    /// How many failures are waived.
    public var waivedCount: Int { rules.filter(\.waived).count }
}

/// A rule's result as reports show it.
public struct ReportRule: Sendable {
    public var record: RuleRecord
    /// The waiver naming this rule, active or expired.
    public var waiver: Waiver?
    /// The rule failed (or is in error) and an unexpired waiver covers it.
    public var waived: Bool

    /// Whether this rule fails the CI gate at `threshold` (nil: any severity).
    public func failsGate(at threshold: Severity?) -> Bool {
        guard record.result.isFailing, !waived else { return false }
        guard let threshold else { return true }
        return Severity(record.severity) >= threshold
    }
}
