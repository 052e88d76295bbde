import Foundation
import VigilCore
import VigilStore

/// SARIF 2.1.0: the rules of the scan as the tool's rule metadata, and one result per rule
/// that fails (waived failures are reported as suppressed).
package enum SARIFReport {
    package static let schema = "https://json.schemastore.org/sarif-2.1.0.json"

    package static func json(_ data: ReportData) throws -> Data {
        let failing = data.rules.filter { $0.record.result.isFailing }
        var ruleIndex: [String: Int] = [:]
        var rules: [[String: Any]] = []
        for r in failing where ruleIndex[r.record.ruleID] == nil {
            ruleIndex[r.record.ruleID] = rules.count
            rules.append(rule(r.record))
        }
        let results = failing.map { result($0, index: ruleIndex[$0.record.ruleID]!, data) }
        let log: [String: Any] = [
            "$schema": schema,
            "version": "2.1.0",
            "runs": [[
                "tool": ["driver": [
                    "name": "Vigil",
                    "version": data.generator,
                    "rules": rules,
                ] as [String: Any]],
                "invocations": [[
                    "executionSuccessful": true,
                    "startTimeUtc": ISO8601DateFormatter().string(from: data.scan.startedAt),
                    "endTimeUtc": ISO8601DateFormatter().string(from: data.scan.finishedAt),
                ] as [String: Any]],
                "properties": [
                    "benchmark": data.scan.benchmarkID, "benchmarkVersion": data.scan.benchmarkVersion,
                    "profile": data.scan.profileID, "host": data.scan.hostName, "target": data.scan.target,
                    "scan": data.scan.uuid,
                ],
                "results": results,
            ] as [String: Any]],
        ]
        return try JSONSerialization.data(withJSONObject: log, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    }

    /// A failing rule's metadata in the tool's rule list.
    static func rule(_ record: RuleRecord) -> [String: Any] {
        var rule: [String: Any] = [
            "id": record.ruleID,
            "name": record.ruleID.components(separatedBy: "_rule_").last ?? record.ruleID,
            "shortDescription": ["text": record.title],
            "properties": [
                "severity": record.severity,
                "tags": record.references.map { "\($0.kind):\($0.id)" },
            ] as [String: Any],
            "defaultConfiguration": ["level": level(record.severity)],
        ]
        if !record.description.isEmpty { rule["fullDescription"] = ["text": record.description] }
        let help = [record.rationale, record.fixText.isEmpty ? "" : "Fix: " + record.fixText]
            .filter { !$0.isEmpty }.joined(separator: "\n\n")
        if !help.isEmpty { rule["help"] = ["text": help] }
        return rule
    }

    /// One failing rule's result, suppressed when waived.
    static func result(_ r: ReportRule, index: Int, _ data: ReportData) -> [String: Any] {
        var result: [String: Any] = [
            "ruleId": r.record.ruleID,
            "ruleIndex": index,
            "kind": "fail",
            "level": r.record.result == .fail ? level(r.record.severity) : "error",
            "message": ["text": r.record.evidence.map { "\(r.record.title): \($0)" } ?? "\(r.record.title): \(r.record.result.rawValue)"],
            "locations": [[
                "logicalLocations": [["name": data.scan.hostName, "kind": "module",
                                      "fullyQualifiedName": "\(data.scan.hostName):\(data.scan.target)"]],
            ]],
            "properties": ["result": r.record.result.rawValue, "severity": r.record.severity],
        ]
        if r.waived, let w = r.waiver {
            result["suppressions"] = [["kind": "external", "status": "accepted",
                                       "justification": "\(w.reason) (owner \(w.owner), until \(w.expires))"]]
        }
        return result
    }

    /// SARIF levels by XCCDF severity.
    static func level(_ severity: String) -> String {
        switch Severity(severity) {
        case .high, .medium: return "error"
        case .low: return "warning"
        case .info, .unknown: return "note"
        }
    }
}
