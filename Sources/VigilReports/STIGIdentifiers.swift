import Foundation
import VigilStore

/// A rule's identifiers in DISA's form, from its `stig` references: the group (Vuln_Num,
/// "V-230475"), the rule (Rule_ID, "SV-230475r833333_rule") and the STIG id (Rule_Ver,
/// "RHEL-08-010359"). The SCAP Security Guide gives the STIG id (a reference to
/// public.cyber.mil/stigs/downloads) and the SV- rule id (srg-stig-tools); the V- number
/// is read from the SV- id when the content gives none. Where a rule lists STIG ids for
/// several products, the one for the scanned OS is used.
struct STIGIdentifiers: Equatable {
    let vulnNumber: String
    let ruleID: String
    let stigID: String

    init(vulnNumber: String, ruleID: String, stigID: String) {
        self.vulnNumber = vulnNumber
        self.ruleID = ruleID
        self.stigID = stigID
    }

    /// The identifiers of `record` on a system running `osName` `osVersion`; nil when the
    /// rule has no STIG reference.
    init?(_ record: RuleRecord, osName: String, osVersion: String) {
        let ids = record.references.filter { $0.kind == "stig" }.map(\.id)
        let stigIDs = ids.filter { !$0.hasPrefix("V-") && !$0.hasPrefix("SV-") }
        let sv = ids.first { $0.hasPrefix("SV-") }
        let chosen = Self.best(stigIDs, osName: osName, osVersion: osVersion)
        guard let vuln = ids.first(where: { $0.hasPrefix("V-") }) ?? sv.flatMap { Self.group(ofRule: $0) } ?? chosen else { return nil }
        vulnNumber = vuln
        ruleID = sv ?? record.ruleID
        stigID = chosen ?? vuln
    }

    /// The group id of an SV- rule id: "SV-230475r833333_rule" is in group "V-230475".
    static func group(ofRule sv: String) -> String? {
        let digits = sv.dropFirst(3).prefix { $0.isNumber }
        return digits.isEmpty ? nil : "V-" + digits
    }

    /// The STIG id that best fits the OS: same major version and family first, then the
    /// same version, then the same family, then the first given.
    static func best(_ ids: [String], osName: String, osVersion: String) -> String? {
        let major = Int(osVersion.split(separator: ".").first ?? "")
        let name = osName.lowercased()
        func score(_ id: String) -> Int {
            let head = id.split(separator: "-").prefix(2).joined(separator: "-")
            let letters = String(head.prefix { $0.isLetter }).uppercased()
            let version = Int(head.drop { !$0.isNumber }.prefix { $0.isNumber })
            let families = familyNames[letters] ?? [letters.lowercased()]
            let family = !letters.isEmpty && families.contains { name.contains($0) }
            return (major != nil && version == major ? 2 : 0) + (family ? 1 : 0)
        }
        return ids.enumerated().max { a, b in
            let (sa, sb) = (score(a.element), score(b.element))
            return sa != sb ? sa < sb : a.offset > b.offset
        }?.element
    }

    /// How STIG id prefixes name operating systems in os-release NAME.
    static let familyNames: [String: [String]] = [
        "RHEL": ["red hat"], "UBTU": ["ubuntu"], "SLES": ["suse", "sles"], "OL": ["oracle"], "ALMA": ["alma"],
        "AOSX": ["macos"], "APPL": ["macos"], "CAS": ["centos"], "TOSS": ["toss"], "AZLX": ["azure"],
    ]
}
