import VigilContent
import VigilTarget

/// Running OpenShift content on a node that is not OpenShift: the SCAP Security Guide's
/// ocp4 and rhcos4 benchmarks apply wherever `/etc/kubernetes/kubelet.conf` exists (their
/// node platform test), so on a kubeadm, k3s or rke2 node they run, check OpenShift-only
/// paths and miss the node's real settings. `warning` says so before the scan.
///
/// The content is OpenShift's when its benchmark id or a platform it names is (OCP-4,
/// RHCOS-4; `openshift_container_platform`, `enterprise_linux_coreos` CPE names). The target
/// is an OpenShift node when it shows one piece of evidence: an RHCOS (or OKD's SCOS)
/// os-release, a file the OpenShift machine-config daemon or its static pods write, or a
/// compliance-operator API dump with `config.openshift.io` resources.
public enum OpenShiftCheck {
    /// os-release IDs of OpenShift node operating systems.
    static let nodeSystems: Set<String> = ["rhcos", "scos"]
    /// Paths only an OpenShift node (or its API dump) has.
    static let evidencePaths = [
        "/etc/machine-config-daemon",
        "/etc/mcs-machine-config-content.json",
        "/etc/kubernetes/static-pod-resources",
        "/kubernetes-api-resources/apis/config.openshift.io",
        "/kubernetes-api-resources/ocp/version",
    ]

    /// Whether `benchmark` is OpenShift's (ocp4 or rhcos4).
    public static func isOpenShiftContent(_ benchmark: XCCDFBenchmark) -> Bool {
        let id = benchmark.id.lowercased()
        if ["ocp-4", "ocp4", "rhcos-4", "rhcos4"].contains(where: { id.hasSuffix("_" + $0) || id.hasSuffix("-" + $0) }) {
            return true
        }
        return benchmark.platforms.contains { $0.contains("openshift_container_platform") || $0.contains("enterprise_linux_coreos") }
    }

    /// What shows `target` to be an OpenShift node, nil when nothing does.
    public static func evidence(_ target: any Target) -> String? {
        if let os = DefaultContent.operatingSystem(target), nodeSystems.contains(os.id) { return "/etc/os-release (ID=\(os.id))" }
        return evidencePaths.first { target.fileInfo($0) != nil }
    }

    /// The one-line warning when OpenShift content meets a target that is not an OpenShift
    /// node; nil otherwise.
    public static func warning(_ benchmark: XCCDFBenchmark, target: any Target) -> String? {
        guard isOpenShiftContent(benchmark), evidence(target) == nil else { return nil }
        return "\(benchmark.id) is OpenShift content, and \(target.label) is not an OpenShift node (no RHCOS os-release, "
            + "no machine-config or static-pod-resources files, no API dump with config.openshift.io resources): "
            + "its rules check OpenShift paths and settings, and their verdicts say nothing about another Kubernetes distribution"
    }
}
