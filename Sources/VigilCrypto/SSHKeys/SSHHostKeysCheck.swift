import VigilCore
import VigilTarget

/// The `ssh_host_keys` native check: every SSH host key in the files `paths` selects
/// (default `/etc/ssh`, names matching `^ssh_host_.*_key\.pub$`; OpenSSH public key files, or OpenSSH private
/// keys, whose public part is in clear) must meet the key criteria (`min_rsa_bits`,
/// `allowed_curves`, `min_security_bits`, `allowed_key_types`, `forbidden_key_types`,
/// which take OpenSSH's type names too: `ssh-dss`). See rules/README.md, "x509".
public struct SSHHostKeysCheck: NativeCheckKind {
    public static let name = "ssh_host_keys"
    public static let parameterNames = CryptoFileSelection.parameterNames + KeyPolicy.parameterNames + ["missing"]
    static let defaultPaths = ["/etc/ssh"]
    static let defaultNamePattern = #"^ssh_host_.*_key\.pub$"#
    /// Key files are small; anything larger is refused as a problem.
    static let readLimit = 1 << 20

    let selection: CryptoFileSelection
    let missing: MissingPolicy
    let policy: KeyPolicy

    public init(_ p: NativeParameters) throws {
        selection = try CryptoFileSelection(p, defaultPaths: Self.defaultPaths, defaultNamePattern: Self.defaultNamePattern)
        missing = try MissingPolicy(p)
        policy = try KeyPolicy(p)
        if policy.isEmpty { throw NativeCheckError("ssh_host_keys needs at least one of \(KeyPolicy.parameterNames.joined(separator: ", "))") }
    }

    public var needs: TargetCapabilities { [] }

    public func evaluate(_ context: NativeContext) -> NativeVerdict {
        let (files, selectionProblems) = selection.files(in: context.target)
        var problems = selectionProblems
        var violations: [String] = []
        var seen: [String] = []
        for file in files {
            let shown = PathBytes.display(file.path)
            let bytes: [UInt8]
            do { bytes = try context.target.readFile(file.path, limit: Self.readLimit) } catch {
                problems.append("\(error)")
                continue
            }
            let (keys, fileProblems) = SSHKeyFile.read(bytes)
            problems += fileProblems.map { "\(shown): \($0)" }
            if keys.isEmpty && fileProblems.isEmpty && file.named { problems.append("\(shown): holds no SSH key") }
            for k in keys {
                let place = k.line > 1 ? "\(shown):\(k.line)" : shown
                seen.append("\(place): \(k.sshType) \(k.key.summary)")
                violations += policy.violations(k.key).map { "\(place): \($0)" }
            }
        }
        let problemText = problems.isEmpty ? nil : EvidenceList.lines(problems, limit: 3).joined(separator: "; ")
        if !violations.isEmpty { return NativeVerdict(.fail, evidence: EvidenceList.lines(violations), message: problemText) }
        if let problemText { return .error(problemText) }
        if seen.isEmpty { return missing.verdict("no SSH host key in \(selection.paths.joined(separator: ", "))") }
        return NativeVerdict(.pass, evidence: EvidenceList.lines(seen))
    }
}
