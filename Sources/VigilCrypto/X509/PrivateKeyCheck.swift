import VigilCore
import VigilTarget

/// The `private_key` native check: every private key in the files `paths` selects must
/// meet the key criteria. An encrypted key is never decrypted (no prompt, no passphrase):
/// OpenSSH keys are judged by their clear public part; an encrypted PKCS#8 or legacy PEM
/// key whose size cannot be read makes the check `unknown` (or `fail` with
/// `encrypted_keys: fail`) unless another key fails. See rules/README.md, "x509".
public struct PrivateKeyCheck: NativeCheckKind {
    public static let name = "private_key"
    public static let parameterNames = CryptoFileSelection.parameterNames + KeyPolicy.parameterNames + ["missing", "encrypted_keys"]
    /// Key files are small; anything larger is refused as a problem.
    static let readLimit = 4 << 20

    let selection: CryptoFileSelection
    let missing: MissingPolicy
    let policy: KeyPolicy
    let failEncrypted: Bool

    public init(_ p: NativeParameters) throws {
        selection = try CryptoFileSelection(p)
        missing = try MissingPolicy(p)
        policy = try KeyPolicy(p)
        failEncrypted = try p.choice("encrypted_keys", ["unknown", "fail"]) == "fail"
        if policy.isEmpty { throw NativeCheckError("private_key needs at least one of \(KeyPolicy.parameterNames.joined(separator: ", "))") }
    }

    public var needs: TargetCapabilities { [] }

    public func evaluate(_ context: NativeContext) -> NativeVerdict {
        let (files, selectionProblems) = selection.files(in: context.target)
        var problems = selectionProblems
        var violations: [String] = [], unreadable: [String] = [], seen: [String] = []
        for file in files {
            let shown = PathBytes.display(file.path)
            let bytes: [UInt8]
            do { bytes = try context.target.readFile(file.path, limit: Self.readLimit) } catch {
                problems.append("\(error)")
                continue
            }
            let (keys, fileProblems, hadContent) = PrivateKeyReader.read(bytes)
            problems += fileProblems.map { "\(shown): \($0)" }
            if !hadContent && file.named { problems.append("\(shown): holds no private key") }
            for k in keys {
                let place = k.line > 1 ? "\(shown):\(k.line)" : shown
                guard let key = k.key else {
                    let hint = k.typeHint.map { " \($0.uppercased()) key" } ?? " key"
                    if let type = k.typeHint {
                        violations += policy.typeViolations(type, shown: "encrypted \(type.uppercased()) key").map { "\(place): \($0)" }
                    }
                    unreadable.append("\(place): encrypted \(k.format)\(hint), size not readable without the passphrase")
                    continue
                }
                seen.append("\(place): \(k.format)\(k.encrypted ? " (encrypted)" : "") \(key.summary)")
                violations += policy.violations(key).map { "\(place): \($0)" }
            }
        }
        let problemText = problems.isEmpty ? nil : EvidenceList.lines(problems, limit: 3).joined(separator: "; ")
        if !violations.isEmpty { return NativeVerdict(.fail, evidence: EvidenceList.lines(violations + unreadable), message: problemText) }
        if let problemText { return .error(problemText) }
        if !unreadable.isEmpty {
            return NativeVerdict(failEncrypted ? .fail : .unknown, evidence: EvidenceList.lines(unreadable),
                                 message: "\(unreadable.count) encrypted keys cannot be judged without their passphrase")
        }
        if seen.isEmpty { return missing.verdict("no private key in \(selection.paths.joined(separator: ", "))") }
        return NativeVerdict(.pass, evidence: EvidenceList.lines(seen))
    }
}
