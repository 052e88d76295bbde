import Foundation
import VigilCore
import VigilStore
import VigilXML

/// DISA STIG Viewer checklists: `.ckl` (STIG Viewer 2, XML) and `.cklb` (STIG Viewer 3,
/// JSON). One VULN per evaluated rule that carries a STIG id (a `stig` reference: a V-number, an
/// SV- rule id or a STIG rule version such as UBTU-22-255045), with DISA's identifiers
/// (`STIGIdentifiers`); other rules are left out, and `warnings` says how many. Content
/// in which no rule has a STIG id is an error for these formats.
package enum STIGChecklist {
    /// One checklist entry.
    struct Vuln {
        let rule: ReportRule
        /// Vuln_Num (V-...), Rule_ID (SV-..._rule, else the XCCDF rule id) and Rule_Ver.
        let ids: STIGIdentifiers
        var vulnNumber: String { ids.vulnNumber }
        var ruleVersion: String { ids.stigID }
        let ccis: [String]
    }

    static func vulns(_ data: ReportData) throws -> [Vuln] {
        let system = data.system
        // Rules the profile does not select are not part of the checklist (an SSG data
        // stream's rules for other STIGs, such as a web server's, would otherwise join it).
        let vulns = data.rules.filter { $0.record.result != .notselected }.compactMap { r -> Vuln? in
            guard let ids = STIGIdentifiers(r.record, osName: system.osName, osVersion: system.osVersion) else { return nil }
            return Vuln(rule: r, ids: ids, ccis: r.record.references.filter { $0.kind == "cci" }.map(\.id))
        }
        guard !vulns.isEmpty else {
            throw ReportError("no rule of \(data.scan.benchmarkID) has a STIG id (a V-, SV- or STIG rule reference), so a STIG checklist would be empty; use content with STIG references (e.g. the SCAP Security Guide's stig profile) or another format")
        }
        return vulns
    }

    /// Whether any of `rules` carries a STIG id, so that a checklist of them is not empty:
    /// asked before a scan that is to write a checklist.
    package static func anyHasSTIGID(_ rules: [RuleRecord]) -> Bool {
        rules.contains { STIGIdentifiers($0, osName: "", osVersion: "") != nil }
    }

    /// What the checklist leaves out: how many evaluated (selected) rules have no STIG id.
    static func warnings(_ data: ReportData, format: String) -> [String] {
        let system = data.system
        let evaluated = data.rules.filter { $0.record.result != .notselected }
        let missing = evaluated.filter { STIGIdentifiers($0.record, osName: system.osName, osVersion: system.osVersion) == nil }
        guard !missing.isEmpty, missing.count < evaluated.count else { return [] }
        return ["\(missing.count) of \(evaluated.count) evaluated rules have no STIG id and are not in the \(format) checklist"]
    }

    /// STIG Viewer 2 status of a result.
    static func status(_ result: XCCDFResult) -> String {
        switch result {
        case .pass, .fixed: return "NotAFinding"
        case .fail: return "Open"
        case .notapplicable: return "Not_Applicable"
        default: return "Not_Reviewed"
        }
    }

    /// STIG Viewer 3 status of a result.
    static func statusB(_ result: XCCDFResult) -> String {
        switch result {
        case .pass, .fixed: return "not_a_finding"
        case .fail: return "open"
        case .notapplicable: return "not_applicable"
        default: return "not_reviewed"
        }
    }

    /// What the checklist's comments say: the result Vigil gave and any waiver.
    static func comments(_ r: ReportRule, _ data: ReportData) -> String {
        var text = "Vigil \(data.generator): \(r.record.result.rawValue) (\(r.record.ruleID))"
        if let w = r.waiver {
            let state = w.isExpired(on: data.generatedAt) ? "expired on" : "until"
            text += "; waiver \(state) \(w.expires), owner \(w.owner): \(w.reason)"
        }
        return text
    }

    static func stigID(_ data: ReportData) -> String {
        data.scan.benchmarkID.replacingOccurrences(of: "xccdf_", with: "")
    }

    /// The `.ckl` XML.
    package static func ckl(_ data: ReportData) throws -> String {
        let vulns = try vulns(data)
        let asset = Asset(data)
        let stig = Info(data, vulns: vulns)
        func tag(_ name: String, _ value: String) -> String { "<\(name)>\(xmlEscape(value))</\(name)>" }
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!--DISA STIG Viewer :: 2.17-->\n<CHECKLIST>\n<ASSET>"
        out += tag("ROLE", asset.role ?? stig.role) + tag("ASSET_TYPE", "Computing") + tag("MARKING", "CUI") + tag("HOST_NAME", asset.hostName)
        out += tag("HOST_IP", asset.ip) + tag("HOST_MAC", asset.mac) + tag("HOST_FQDN", asset.fqdn) + tag("TARGET_COMMENT", asset.comment)
        out += tag("TECH_AREA", stig.techArea) + tag("TARGET_KEY", "") + tag("WEB_OR_DATABASE", "false") + tag("WEB_DB_SITE", "") + tag("WEB_DB_INSTANCE", "")
        out += "</ASSET>\n<STIGS>\n<iSTIG>\n<STIG_INFO>\n"
        let info: [(String, String)] = [
            ("version", stig.version), ("classification", "UNCLASSIFIED"), ("customname", ""),
            ("stigid", stig.stigID), ("description", "Results of \(data.scan.benchmarkID), profile \(data.scan.profileID)"),
            ("filename", (data.scan.contentPath as NSString).lastPathComponent), ("releaseinfo", stig.releaseInfo),
            ("title", stig.title), ("uuid", data.scan.uuid), ("notice", ""), ("source", data.scan.contentPath),
        ]
        for (name, value) in info { out += "<SI_DATA>" + tag("SID_NAME", name) + tag("SID_DATA", value) + "</SI_DATA>\n" }
        out += "</STIG_INFO>\n"
        for v in vulns {
            let r = v.rule.record
            var attributes: [(String, String)] = [
                ("Vuln_Num", v.vulnNumber), ("Severity", r.severity), ("Group_Title", r.title), ("Rule_ID", v.ids.ruleID),
                ("Rule_Ver", v.ruleVersion), ("Rule_Title", r.title), ("Vuln_Discuss", r.description), ("IA_Controls", ""),
                ("Check_Content", r.rationale), ("Fix_Text", r.fixText), ("False_Positives", ""), ("False_Negatives", ""),
                ("Documentable", "false"), ("Mitigations", ""), ("Potential_Impact", ""), ("Third_Party_Tools", ""),
                ("Mitigation_Control", ""), ("Responsibility", ""), ("Security_Override_Guidance", ""),
                ("Check_Content_Ref", "M"), ("Weight", "10.0"), ("Class", "Unclass"),
                ("STIGRef", stig.reference(data)), ("TargetKey", ""),
                ("STIG_UUID", data.scan.uuid), ("LEGACY_ID", ""),
            ]
            attributes += v.ccis.map { ("CCI_REF", $0) }
            out += "<VULN>\n"
            for (name, value) in attributes {
                out += "<STIG_DATA>" + tag("VULN_ATTRIBUTE", name) + tag("ATTRIBUTE_DATA", value) + "</STIG_DATA>\n"
            }
            out += tag("STATUS", status(r.result)) + tag("FINDING_DETAILS", r.evidence ?? "") + tag("COMMENTS", comments(v.rule, data))
            out += tag("SEVERITY_OVERRIDE", "") + tag("SEVERITY_JUSTIFICATION", "") + "\n</VULN>\n"
        }
        out += "</iSTIG>\n</STIGS>\n</CHECKLIST>\n"
        return out
    }

    /// The `.cklb` JSON.
    package static func cklb(_ data: ReportData) throws -> Data {
        let stigUUID = data.scan.uuid
        let asset = Asset(data)
        let vulns = try vulns(data)
        let stig = Info(data, vulns: vulns)
        let rules: [[String: Any]] = vulns.enumerated().map { i, v in
            let r = v.rule.record
            return [
                "uuid": uuid(data.scan.uuid, i), "stig_uuid": stigUUID, "target_key": NSNull(), "stig_ref": NSNull(),
                "group_id": v.vulnNumber, "rule_id": v.ids.ruleID, "rule_id_src": r.ruleID, "weight": "10.0",
                "classification": "UNCLASSIFIED", "severity": r.severity, "rule_version": v.ruleVersion,
                "group_title": r.title, "rule_title": r.title, "fix_text": r.fixText, "false_positives": "",
                "false_negatives": "", "discussion": r.description, "check_content": r.rationale, "documentable": "false",
                "mitigations": "", "potential_impacts": "", "third_party_tools": "", "mitigation_control": "",
                "responsibility": "", "security_override_guidance": "", "ia_controls": "",
                "check_content_ref": ["href": "", "name": "M"], "legacy_ids": [String](), "ccis": v.ccis,
                "group_tree": [["id": v.vulnNumber, "title": r.title, "description": ""]],
                "status": statusB(r.result), "overrides": [String: Any](), "comments": comments(v.rule, data),
                "finding_details": r.evidence ?? "",
            ]
        }
        let checklist: [String: Any] = [
            "title": "\(data.image?.name ?? data.scan.hostName) \(stig.stigID)",
            "id": data.scan.uuid,
            "active": false,
            "mode": 1,
            "has_path": true,
            "target_data": [
                "target_type": "Computing", "host_name": asset.hostName, "ip_address": asset.ip, "mac_address": asset.mac,
                "fqdn": asset.fqdn, "comments": asset.comment, "role": asset.role ?? stig.role,
                "is_web_database": false, "technology_area": stig.techArea, "web_db_site": "", "web_db_instance": "",
            ] as [String: Any],
            "stigs": [[
                "stig_name": stig.product == nil ? data.scan.benchmarkID : stig.title, "display_name": stig.stigID,
                "stig_id": stig.stigID, "release_info": stig.releaseInfo, "version": stig.version,
                "uuid": stigUUID, "reference_identifier": "", "size": rules.count, "rules": rules,
            ] as [String: Any]],
        ]
        return try JSONSerialization.data(withJSONObject: checklist, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    }

    /// A stable UUID for entry `i` of a scan (the scan's UUID with its last digits replaced).
    static func uuid(_ base: String, _ i: Int) -> String {
        let suffix = String(format: "%012x", i + 1)
        guard base.count == 36 else { return UUID().uuidString.lowercased() }
        return String(base.prefix(24)) + suffix
    }
}
