import Foundation
import VigilCore
import VigilStore

/// SARIF 2.1.0: the rules of the scan as the tool's rule metadata, and one result per rule
/// that fails (waived failures are reported as suppressed). Each result points at the
/// content file and the line of the rule's definition there (a physical location, which
/// GitHub code scanning needs to show a result), and at the scanned system (a logical
/// location). The run's properties and invocation carry the system's identity. A scanned
/// image names the run's `automationDetails` (`vigil/NAME/`: GitHub code scanning keeps
/// the results of each image apart by this category) and is the logical location; the
/// invocation then names no machine (the image is not the machine Vigil ran on).
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
        let lines = RuleLines.find(Set(failing.map(\.record.ruleID)), in: data.scan.contentPath)
        let results = failing.map { result($0, index: ruleIndex[$0.record.ruleID]!, line: lines[$0.record.ruleID], data) }
        let system = data.system
        var invocation: [String: Any] = [
            "executionSuccessful": true,
            "startTimeUtc": InternetDateTime.utc(data.scan.startedAt),
            "endTimeUtc": InternetDateTime.utc(data.scan.finishedAt),
            "account": system.user,
        ]
        if data.image == nil { invocation["machine"] = system.hostName.isEmpty ? data.scan.hostName : system.hostName }
        var run: [String: Any] = [
            "tool": ["driver": ["name": "Vigil", "version": data.generator, "rules": rules] as [String: Any]],
            "invocations": [invocation],
            "properties": Dictionary(SystemFields.list(data), uniquingKeysWith: { a, _ in a }),
            "results": results,
        ]
        if let image = data.image {
            run["automationDetails"] = ["id": "vigil/\(image.name)/", "description": ["text": ImageFacts.line(image)]]
        }
        let log: [String: Any] = ["$schema": schema, "version": "2.1.0", "runs": [run]]
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
    static func result(_ r: ReportRule, index: Int, line: Int?, _ data: ReportData) -> [String: Any] {
        var physical: [String: Any] = ["artifactLocation": ["uri": uri(data.scan.contentPath)]]
        if let line { physical["region"] = ["startLine": line] }
        var result: [String: Any] = [
            "ruleId": r.record.ruleID,
            "ruleIndex": index,
            "kind": "fail",
            "level": r.record.result == .fail ? level(r.record.severity) : "error",
            "message": ["text": r.record.evidence.map { "\(r.record.title): \($0)" } ?? "\(r.record.title): \(r.record.result.rawValue)"],
            "locations": [[
                "physicalLocation": physical,
                "logicalLocations": [logicalLocation(data)],
            ]],
            "properties": ["result": r.record.result.rawValue, "severity": r.record.severity],
        ]
        if r.waived, let w = r.waiver {
            result["suppressions"] = [["kind": "external", "status": "accepted",
                                       "justification": "\(w.reason) (owner \(w.owner), until \(w.expires))"]]
        }
        return result
    }

    /// The scanned system as a logical location: the host and its target, or the image
    /// by its reference.
    static func logicalLocation(_ data: ReportData) -> [String: Any] {
        if let image = data.image { return ["name": image.name, "kind": "module", "fullyQualifiedName": image.reference] }
        return ["name": data.scan.hostName, "kind": "module", "fullyQualifiedName": "\(data.scan.hostName):\(data.scan.target)"]
    }

    /// A content path as a SARIF artifact URI: a file URI for an absolute path, else the
    /// relative path, percent-encoded.
    static func uri(_ path: String) -> String {
        if path.hasPrefix("/") { return URL(fileURLWithPath: path).absoluteString }
        return path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path
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
