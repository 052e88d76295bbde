import Foundation
import XCTest

/// The fixture roots the `rules/fips` tests scan, each built fresh in a temporary directory
/// by `FIPSRootScripts` (files, keys, certificates), the Kubernetes node fixtures and a
/// kubelet built by Go: a stock Debian 12, the same moved to FIPS (a kubeadm control plane
/// included), broken in every way the rules name, and the FIPS root (without Kubernetes) with
/// the module activated by `activate = 0` on an OpenSSL 3.0 and a 3.3 target.
enum FIPSRoot: String, CaseIterable {
    case stock, fips, weak
    case activateZero30 = "activate0-openssl3.0"
    case activateZero33 = "activate0-openssl3.3"

    /// Builds this root under `work` (a directory of its name) and returns it.
    func build(under work: URL, kubelets: FIPSKubelets) throws -> URL {
        let root = work.appendingPathComponent(rawValue)
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try Self.run(FIPSRootScripts.stock, root: root)
        guard self != .stock else { return root }
        try Self.run(FIPSRootScripts.fips, root: root)
        switch self {
        case .activateZero30: try Self.run(FIPSRootScripts.activateZero, root: root); return root
        case .activateZero33: try Self.run(FIPSRootScripts.activateZero, root: root, environment: ["OPENSSL33": "1"]); return root
        default: break
        }
        var spec = KubernetesNode.kubeadmControlPlane.hardenedSpec
        if self == .weak { try Self.weakenTLS(&spec) } else { try FIPSKubernetesDifferentialTests.moveToFIPS(&spec, .kubeadmControlPlane) }
        _ = try NodeTreeWriter.write(spec, under: root)
        try Self.run(FIPSRootScripts.kubernetesPKI, root: root)
        try kubelets.install(boring: self != .weak, in: root)
        if self == .weak {
            try Self.run(FIPSRootScripts.weak, root: root)
            try Self.run(FIPSRootScripts.weakKubernetesPKI, root: root)
        }
        return root
    }

    /// CIS's hardened control plane (ChaCha20 suites kept) with TLS 1.0 allowed by the API
    /// server and TLS 1.1 by the kubelet.
    static func weakenTLS(_ spec: inout NodeSpec) throws {
        try spec.replace("\(KubeadmNode.manifests)/kube-apiserver.yaml", "--tls-min-version=VersionTLS12", with: "--tls-min-version=VersionTLS10")
        try spec.replace("/var/lib/kubelet/config.yaml", "tlsMinVersion: VersionTLS12", with: "tlsMinVersion: VersionTLS11")
    }

    /// Runs one script of `FIPSRootScripts` (after its prelude) with `ROOT` set.
    static func run(_ script: String, root: URL, environment: [String: String] = [:]) throws {
        let r = try Shell.run("/bin/sh", ["-euc", FIPSRootScripts.prelude + script],
                              environment: environment.merging(["ROOT": root.path]) { $1 })
        guard r.status == 0 else {
            throw NodeSpecError(description: "fixture script failed (\(r.status)) for \(root.lastPathComponent): \(r.stderr)")
        }
    }
}

/// One rule's verdict in a `vigil scan` JSON report, its evidence and message.
struct FIPSVerdict {
    var result: String
    var evidence: String
    var message: String
}

/// `vigil scan rules/fips --profile all` with a JSON report, read back by rule id (the
/// `xccdf_io.vigil_rule_` prefix removed).
enum FIPSScan {
    static let folder = FIPSKubernetesDifferentialTests.folder
    static let rulePrefix = "xccdf_io.vigil_rule_"

    static func run(root: URL?, work: URL, name: String, options: [String] = ["--profile", "all"],
                    environment: [String: String] = [:]) throws -> [String: FIPSVerdict] {
        let report = work.appendingPathComponent("report-\(name).json")
        let args = ["scan", folder.path] + options + (root.map { ["--root", $0.path] } ?? [])
            + ["--no-store", "--quiet", "--allow-empty", "--report", "json:\(report.path)"]
        let r = try Shell.run(Shell.vigilBinary, args, environment: environment)
        XCTAssertTrue([0, 2].contains(r.status), "vigil scan \(name) exited \(r.status): \(r.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: report)) as? [String: Any]
        var out: [String: FIPSVerdict] = [:]
        for rule in object?["rules"] as? [[String: Any]] ?? [] {
            guard let id = rule["id"] as? String, let result = rule["result"] as? String else { continue }
            let evidence = (rule["evidence"] as? String) ?? ((rule["evidence"] as? [String])?.joined(separator: "\n") ?? "")
            out[String(id.dropFirst(rulePrefix.count))] = FIPSVerdict(result: result, evidence: evidence,
                                                                       message: rule["message"] as? String ?? "")
        }
        return out
    }

    /// Every rule id of `rules/fips` (the file names of its rule YAML files).
    static func allRules() throws -> Set<String> {
        let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
        return Set(files.filter { $0.pathExtension == "yaml" && !["group", "benchmark"].contains($0.deletingPathExtension().lastPathComponent) }
            .map { $0.deletingPathExtension().lastPathComponent })
    }

    /// Asserts each rule's verdict against `expected` (rule → (result, why)) and that the scan
    /// judged exactly the rules of `rules/fips`.
    static func assert(_ got: [String: FIPSVerdict], _ expected: [String: (String, String)], _ label: String,
                       file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(Set(got.keys), try allRules(), "\(label): rules scanned", file: file, line: line)
        XCTAssertEqual(Set(expected.keys), try allRules(), "\(label): every rule needs an expected verdict", file: file, line: line)
        for (rule, (result, why)) in expected.sorted(by: { $0.key < $1.key }) {
            let v = got[rule]
            XCTAssertEqual(v?.result, result, "\(label): \(rule) (\(why)); evidence: \(v?.evidence ?? "-") \(v?.message ?? "")",
                           file: file, line: line)
        }
    }
}
