import Foundation
import VigilCore
import VigilTarget

/// The `x509` native check: every certificate in the files `paths` selects (PEM bundles or
/// DER) must meet the key, signature, validity and allow-list criteria given. Signature
/// criteria skip self-signed certificates by default (a trust anchor's self-signature is
/// not relied upon); `anchor_expiry: ignore` skips the validity of self-signed ones too
/// (an expired anchor validates nothing). See rules/README.md, "x509".
public struct X509Check: NativeCheckKind {
    public static let name = "x509"
    public static let parameterNames = CryptoFileSelection.parameterNames + KeyPolicy.parameterNames + [
        "missing", "min_signature_bits", "forbid_digests", "skip_self_signed", "not_expired",
        "expires_within_days", "anchor_expiry", "trust_anchor_allowlist",
    ]

    let selection: CryptoFileSelection
    let missing: MissingPolicy
    let criteria: CertificateCriteria

    public init(_ p: NativeParameters) throws {
        selection = try CryptoFileSelection(p)
        missing = try MissingPolicy(p)
        criteria = try CertificateCriteria(p)
    }

    public var needs: TargetCapabilities { [] }

    public func evaluate(_ context: NativeContext) -> NativeVerdict {
        let (files, selectionProblems) = CertificateStore.load(selection, context)
        var problems = selectionProblems
        var violations: [String] = []
        var tally = CertificateCriteria.Tally()
        var certificateCount = 0
        for (selected, content) in files {
            problems += content.problems
            if selected.named && !content.hadContent { problems.append("\(content.path): holds no certificate") }
            for cert in content.certificates {
                certificateCount += 1
                violations += criteria.violations(cert, now: context.now, tally: &tally).map { "\(cert.label): \($0)" }
            }
        }
        let problemText = problems.isEmpty ? nil : EvidenceList.lines(problems, limit: 3).joined(separator: "; ")
        if !violations.isEmpty { return NativeVerdict(.fail, evidence: EvidenceList.lines(violations), message: problemText) }
        if let problemText { return .error(problemText) }
        if certificateCount == 0 {
            return missing.verdict("no certificate in \(selection.paths.joined(separator: ", "))")
        }
        let fileCount = Set(files.filter { !$0.content.certificates.isEmpty }.map { $0.content.path }).count
        return NativeVerdict(.pass, evidence: ["\(certificateCount) certificates in \(fileCount) files meet the criteria"] + tally.notes)
    }
}

/// What a check does when its paths hold nothing to judge: `missing: pass` (default),
/// `fail` or `notapplicable`.
struct MissingPolicy: Sendable, Equatable {
    var result: XCCDFResult

    init(_ p: NativeParameters) throws {
        switch try p.choice("missing", ["pass", "fail", "notapplicable"]) ?? "pass" {
        case "fail": result = .fail
        case "notapplicable": result = .notapplicable
        default: result = .pass
        }
    }

    func verdict(_ what: String) -> NativeVerdict {
        NativeVerdict(result, evidence: [what], message: result == .pass ? nil : what)
    }
}
