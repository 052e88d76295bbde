import Foundation
import FuzzSupport
import VigilReports

/// Fuzzes waiver files (`--waivers`): parsing, then the look-ups a report makes.
/// Errors are expected; a crash or hang is a finding.
enum Harness {
    static func run(_ bytes: [UInt8]) {
        guard let list = try? WaiverList.parse(FuzzInput.text(bytes), file: "waivers.yaml") else { return }
        let ids = ["xccdf_io.vigil_rule_sshd_disable_root_login", "xccdf_org.ssgproject.content_rule_audit_rules_immutable"]
        for id in ids { _ = list.waiver(for: id) }
        _ = list.unmatched(ids)
        let now = Date(timeIntervalSince1970: 1_790_000_000)
        for waiver in list.waivers {
            FuzzInput.check(!waiver.rule.isEmpty && !waiver.reason.isEmpty && !waiver.owner.isEmpty,
                            "a parsed waiver has an empty field: \(waiver)")
            _ = waiver.isExpired(on: now)
            FuzzInput.check(list.waiver(for: waiver.rule) != nil, "a waiver is not found by its own rule: \(waiver.rule)")
        }
    }

    static func describe(_ bytes: [UInt8]) -> String { "\(bytes.count) bytes" }
}
