import Foundation
import VigilProbes
import VigilRules

/// What `vigil scan` evaluates besides the default content on a Kubernetes node: Vigil's
/// `rules/kubernetes`, with the profile for the distributions installed. A distribution is
/// installed when one of its `KubernetesLayout.evidence` files exists in the scanned target
/// (the same test as the rules' `kubernetes` platforms).
public enum DefaultKubernetesContent {
    /// The word that names this scan's reports: `report.json` and `report.kubernetes.json`.
    public static let reportTag = "kubernetes"

    /// The profile for a node running `distributions` (at least one), the one place it is
    /// chosen. The rules' platforms make `cis-1.12` fit kubeadm, k3s and rke2 alike.
    public static func profile(for distributions: [KubernetesDistribution]) -> String {
        "cis-1.12"
    }

    /// The distributions installed on `target`, each with the first evidence file found.
    public static func installed(on target: any Target) -> [(distribution: KubernetesDistribution, evidence: String)] {
        KubernetesDistribution.allCases.compactMap { d in
            KubernetesLayout.evidence(d).first { target.fileInfo($0) != nil }.map { (d, $0) }
        }
    }

    /// Where `rules/kubernetes` is: `$VIGIL_KUBERNETES_RULES`, the source checkout, or an
    /// installed copy (as `DefaultContent.ruleFolder` finds every rule folder).
    public static func folder(executable: String = CommandLine.arguments[0]) -> String? {
        DefaultContent.ruleFolder("kubernetes", environment: "VIGIL_KUBERNETES_RULES", executable: executable)
    }

    /// What a scan of `target` adds: nil when no distribution is installed; else the
    /// content at `folder` (nil: not found, the caller warns) with the distributions' profile.
    public static func choose(target: any Target, folder: String?) -> (content: DefaultContent?, installed: [KubernetesDistribution])? {
        let found = installed(on: target)
        guard !found.isEmpty else { return nil }
        let names = found.map { "\($0.distribution.rawValue) (\($0.evidence))" }.joined(separator: ", ")
        let content = folder.map {
            DefaultContent(path: $0, profile: profile(for: found.map(\.distribution)),
                           reason: "Vigil's Kubernetes benchmark, as this is a Kubernetes node: \(names)")
        }
        return (content, found.map(\.distribution))
    }
}
