import Foundation
import VigilCore
import VigilStore

/// MITRE's Heimdall Data Format (the InSpec "exec JSON" format), which Heimdall and the
/// SAF tools read: one profile (the benchmark and profile scanned) whose controls are the
/// evaluated rules, each with its impact (from the severity), tags (NIST 800-53, CCI and
/// DISA STIG ids, severity), references, source location and results (one per rule
/// instance: status, code description, start time, message). The system's identity is in
/// `platform` and `passthrough`; a scanned image is the platform's `target_id` (its
/// reference) and `passthrough.vigil.image` (`ImageIdentity`: name, tag, digests, OS,
/// architecture, layers). Rules the profile does not select are left out.
package enum HDFReport {
    package static func json(_ data: ReportData) throws -> Data {
        let s = data.scan
        let system = data.system
        let evaluated = data.rules.filter { $0.record.result != .notselected }
        var order: [String] = []
        var byRule: [String: [ReportRule]] = [:]
        for r in evaluated {
            if byRule[r.record.ruleID] == nil { order.append(r.record.ruleID) }
            byRule[r.record.ruleID, default: []].append(r)
        }
        let lines = RuleLines.find(Set(order), in: s.contentPath)
        let controls = order.map { control(byRule[$0]!, line: lines[$0], data) }
        let title = data.benchmarkName.isEmpty ? s.benchmarkID : data.benchmarkName
        let summary = system.profileTitle.isEmpty ? s.profileID : system.profileTitle
        var supports: [[String: Any]] = []
        if !system.osName.isEmpty { supports.append(["platform-name": platformName(system), "release": system.osVersion]) }
        var profile: [String: Any] = ["name": s.benchmarkID, "title": title, "version": s.benchmarkVersion]
        profile["sha256"] = s.contentSHA256
        profile["summary"] = summary
        profile["description"] = system.profileDescription
        profile["maintainer"] = NSNull()
        profile["license"] = NSNull()
        profile["copyright"] = NSNull()
        profile["status"] = "loaded"
        profile["depends"] = [Any]()
        profile["supports"] = supports
        profile["attributes"] = [["name": "profile", "options": ["value": s.profileID] as [String: Any]] as [String: Any]]
        profile["groups"] = [["id": s.contentPath, "title": s.profileID, "controls": order] as [String: Any]]
        profile["controls"] = controls
        var vigil: [String: Any] = [
            "scan": s.uuid, "hostID": s.hostID, "target": s.target, "targetKind": s.targetKind,
            "profile": s.profileID, "vigilVersion": s.vigilVersion,
            "startedAt": SystemFields.timestamp(s.startedAt), "finishedAt": SystemFields.timestamp(s.finishedAt),
            "system": try JSONSerialization.jsonObject(with: JSONEncoder().encode(data.systemWithoutImage)),
        ]
        if let image = data.image { vigil["image"] = try JSONSerialization.jsonObject(with: JSONEncoder().encode(image)) }
        let document: [String: Any] = [
            "platform": ["name": platformName(system), "release": system.osVersion,
                         "target_id": data.image?.reference ?? (system.hostName.isEmpty ? s.hostName : system.hostName)],
            "profiles": [profile],
            "statistics": ["duration": s.finishedAt.timeIntervalSince(s.startedAt), "controls": statistics(controls)],
            "version": data.generator,
            "passthrough": ["vigil": vigil],
        ]
        return try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    }

    /// One rule as a control: its results are those of its instances.
    static func control(_ rules: [ReportRule], line: Int?, _ data: ReportData) -> [String: Any] {
        let r = rules[0].record
        var control: [String: Any] = [
            "id": r.ruleID, "title": r.title, "desc": r.description,
            "descriptions": [["label": "default", "data": r.description], ["label": "rationale", "data": r.rationale],
                             ["label": "fix", "data": r.fixText]].filter { !($0["data"] ?? "").isEmpty },
            "impact": rules.allSatisfy { $0.record.result == .notapplicable } ? 0.0 : impact(r.severity),
            "refs": r.references.map { ["ref": "\($0.kind): \($0.id)", "url": $0.system] },
            "tags": tags(r, data), "code": "",
            "source_location": ["ref": data.scan.contentPath, "line": line.map { $0 as Any } ?? NSNull()],
            "results": rules.map { result($0, data) },
        ]
        if let w = rules.first(where: \.waived)?.waiver {
            control["waiver_data"] = ["justification": "\(w.reason) (owner \(w.owner))", "expiration_date": w.expires,
                                      "run": true, "skipped_due_to_waiver": false,
                                      "message": "waived until \(w.expires) by \(w.owner)"]
        }
        return control
    }

    /// The control's tags: NIST 800-53 controls, CCIs, DISA's ids (gid, rid, stig_id),
    /// other references by kind, and the severity.
    static func tags(_ r: RuleRecord, _ data: ReportData) -> [String: Any] {
        var tags: [String: Any] = ["severity": r.severity]
        tags["nist"] = r.references.filter { $0.kind == "nist-800-53" }.map(\.id)
        tags["cci"] = r.references.filter { $0.kind == "cci" }.map(\.id)
        for kind in ["srg", "cis", "cce"] {
            let ids = r.references.filter { $0.kind == kind }.map(\.id)
            if !ids.isEmpty { tags[kind] = ids }
        }
        let system = data.system
        if let ids = STIGIdentifiers(r, osName: system.osName, osVersion: system.osVersion) {
            tags["gid"] = ids.vulnNumber
            tags["rid"] = ids.ruleID
            tags["stig_id"] = ids.stigID
        }
        return tags
    }

    /// One result: its HDF status, what was checked, when, and what was found.
    static func result(_ r: ReportRule, _ data: ReportData) -> [String: Any] {
        let record = r.record
        let what = record.instance.isEmpty ? record.title : "\(record.title) [\(record.instance)]"
        var result: [String: Any] = [
            "status": status(record.result), "code_desc": "\(what): \(record.result.rawValue)",
            "start_time": SystemFields.timestamp(data.scan.startedAt), "run_time": NSNull(),
            "resource": record.ruleID,
        ]
        let text = record.evidence ?? ""
        switch status(record.result) {
        case "skipped": result["skip_message"] = text.isEmpty ? "XCCDF result \(record.result.rawValue)" : text
        case "passed": break
        default: result["message"] = text.isEmpty ? "XCCDF result \(record.result.rawValue)" : text
        }
        return result
    }

    /// HDF status of an XCCDF result.
    static func status(_ result: XCCDFResult) -> String {
        switch result {
        case .pass, .fixed: return "passed"
        case .fail: return "failed"
        case .error, .unknown: return "error"
        case .notapplicable, .notchecked, .notselected, .informational: return "skipped"
        }
    }

    /// HDF impact of an XCCDF severity, as InSpec profiles of STIGs use it: high 0.7,
    /// medium 0.5, low 0.3, info 0.0; an unknown severity counts as medium.
    static func impact(_ severity: String) -> Double {
        switch Severity(severity) {
        case .high: return 0.7
        case .medium, .unknown: return 0.5
        case .low: return 0.3
        case .info: return 0.0
        }
    }

    /// The platform's name, as InSpec names it: the OS name in lower case.
    static func platformName(_ system: SystemIdentity) -> String {
        system.osName.isEmpty ? "unknown" : system.osName.lowercased()
    }

    /// How many controls passed, failed and were skipped (errors count as failed, as
    /// Heimdall's statistics have no error block).
    static func statistics(_ controls: [[String: Any]]) -> [String: Any] {
        var counts = ["passed": 0, "failed": 0, "skipped": 0]
        for c in controls {
            let statuses = ((c["results"] as? [[String: Any]]) ?? []).compactMap { $0["status"] as? String }
            let key = statuses.contains { $0 == "failed" || $0 == "error" } ? "failed"
                : statuses.allSatisfy { $0 == "passed" } ? "passed" : "skipped"
            counts[key, default: 0] += 1
        }
        return counts.mapValues { ["total": $0] }
    }
}
