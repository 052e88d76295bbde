import Foundation
import XCTest

/// A deliberate deviation of the OpenShift fixture: the ocp4/rhcos4 rules (short ids) it
/// makes fail, which pass in the hardened form, and its edit of the node or the cluster.
struct OpenShiftDeviation: Sendable {
    let name: String
    let fails: [String]
    let apply: @Sendable (inout NodeSpec, inout OpenShiftCluster) throws -> Void
}

/// An OpenShift 4 control-plane node tree with the compliance operator's API-resource dump
/// under `/kubernetes-api-resources` (raw objects, kubelet configs per role, and the filtered
/// dumps of `OpenShiftAPIFilter`). `write(deviations:under:)` writes the hardened form with
/// the given deviations applied.
enum OpenShiftFixture {
    static let dumpRoot = "/kubernetes-api-resources"
    static let ocp4 = "/usr/share/xml/scap/ssg/content/ssg-ocp4-ds.xml"
    static let rhcos4 = "/usr/share/xml/scap/ssg/content/ssg-rhcos4-ds.xml"

    static let deviations: [OpenShiftDeviation] = [
        OpenShiftDeviation(name: "kubelet-conf-mode", fails: ["file_permissions_kubelet_conf"]) { n, _ in
            try n.setMode("/etc/kubernetes/kubelet.conf", 0o666)
        },
        OpenShiftDeviation(name: "kubelet-conf-owner", fails: ["file_owner_kubelet_conf", "file_groupowner_kubelet_conf"]) { n, _ in
            try n.setOwner("/etc/kubernetes/kubelet.conf", uid: 1000, gid: 1000)
        },
        OpenShiftDeviation(name: "protect-kernel-defaults", fails: ["kubelet_enable_protect_kernel_defaults"]) { n, _ in
            try n.replace("/etc/kubernetes/kubelet.conf", "\"protectKernelDefaults\":true", with: "\"protectKernelDefaults\":false")
        },
        OpenShiftDeviation(name: "sysctl-panic", fails: ["kubelet_enable_protect_kernel_sysctl"]) { n, _ in
            try n.replace("/etc/sysctl.d/90-kubelet.conf", "kernel.panic=10\n", with: "kernel.panic=0\n")
        },
        OpenShiftDeviation(name: "etcd-member-mode", fails: ["file_permissions_etcd_data_dir"]) { n, _ in
            try n.setMode("/var/lib/etcd/member", 0o755)
        },
        OpenShiftDeviation(name: "apiserver-pod-mode", fails: ["file_permissions_kube_apiserver"]) { n, _ in
            try n.setMode(OpenShiftNodeFiles.staticPods + "/kube-apiserver-pod-7/kube-apiserver-pod.yaml", 0o664)
        },
        OpenShiftDeviation(name: "pki-key-mode", fails: ["file_permissions_openshift_pki_key_files"]) { n, _ in
            try n.setMode(OpenShiftNodeFiles.staticPods + "/kube-apiserver-certs/secrets/kubelet-client/tls.key", 0o644)
        },
        OpenShiftDeviation(name: "ovs-conf-owner", fails: ["file_owner_ovs_conf_db"]) { n, _ in
            try n.setOwner("/etc/openvswitch/conf.db", uid: 0, gid: OpenShiftNodeFiles.openvswitch.gid)
        },
        OpenShiftDeviation(name: "audit-log-mode", fails: ["file_permissions_var_log_kube_audit"]) { n, _ in
            try n.setMode("/var/log/kube-apiserver/audit.log", 0o644)
        },
        // AlwaysAdmit added passes api_server_admission_control_plugin_alwaysadmit in both tools:
        // its dump is the filter's list `[config]`, where `.apiServerArguments` selects nothing.
        OpenShiftDeviation(name: "admission-node-restriction", fails: ["api_server_admission_control_plugin_noderestriction"]) { _, c in
            c.admissionPlugins.removeAll { $0 == "NodeRestriction" }
            c.admissionPlugins.append("AlwaysAdmit")
        },
        OpenShiftDeviation(name: "audit-maxbackup", fails: ["api_server_audit_log_maxbackup", "ocp_api_server_audit_log_maxbackup"]) { _, c in
            c.auditLogMaxBackup = "5"
        },
        OpenShiftDeviation(name: "encryption-identity", fails: ["api_server_encryption_provider_cipher"]) { _, c in
            c.encryption = "identity"
        },
        OpenShiftDeviation(name: "kubelet-anonymous", fails: ["kubelet_anonymous_auth"]) { _, c in
            c.kubeletAnonymous = true
        },
        OpenShiftDeviation(name: "worker-eviction", fails: ["kubelet_eviction_thresholds_set_hard_memory_available"]) { _, c in
            c.workerEvictionHardMemory = "100Mi"
        },
        OpenShiftDeviation(name: "idp-htpasswd", fails: ["ocp_idp_no_htpasswd"]) { _, c in
            c.identityProviders.append(("HTPasswd", false))
        },
        OpenShiftDeviation(name: "insecure-registry", fails: ["ocp_insecure_registries"]) { _, c in
            c.insecureRegistries = ["registry.example.com:5000"]
        },
        OpenShiftDeviation(name: "route-allow-http", fails: ["routes_protected_by_tls"]) { _, c in
            c.routeTermination = "Allow"
        },
        OpenShiftDeviation(name: "etcd-client-cert-auth", fails: ["etcd_client_cert_auth"]) { _, c in
            c.etcdClientCertAuth = false
        },
        OpenShiftDeviation(name: "controller-service-account", fails: ["controller_use_service_account"]) { _, c in
            c.controllerUseServiceAccount = false
        },
        OpenShiftDeviation(name: "namespace-without-network-policy", fails: ["configure_network_policies_namespaces"]) { _, c in
            c.namespacesWithoutNetworkPolicy = 1
        },
    ]

    /// jq, which applies the content's filters; the tests skip without it (and fail in CI).
    static func jq() throws -> String {
        guard let jq = Shell.which("jq") else {
            if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail("jq is not installed") }
            throw XCTSkip("jq is not installed (apt-get install jq)")
        }
        return jq
    }

    /// Writes the node and its dump under `root` (a fresh folder); `benchmark` is the ocp4
    /// content's text, whose warnings name the filtered dumps.
    static func write(deviations names: [String] = [], under root: URL, benchmark: String, jq: String,
                      cluster base: OpenShiftCluster = OpenShiftCluster()) throws {
        var node = OpenShiftNodeFiles.master(), cluster = base
        for name in names {
            guard let d = deviations.first(where: { $0.name == name }) else { throw NodeSpecError(description: "no deviation \(name)") }
            try d.apply(&node, &cluster)
        }
        _ = try NodeTreeWriter.write(node, under: root)
        try writeDump(OpenShiftAPIResources.objects(cluster), under: root, benchmark: benchmark, jq: jq)
    }

    /// Writes what the operator dumps for the content (0600 files in 0700 folders, as it
    /// does): each `OpenShiftAPIFilter` whose endpoint is among `objects` (404s as the
    /// operator's comment, never filtered), and the kubelet configuration of each role.
    static func writeDump(_ objects: [String: OpenShiftAPIResources.Object], under root: URL, benchmark: String, jq: String) throws {
        let base = root.appendingPathComponent(String(dumpRoot.dropFirst()))
        func put(_ path: String, _ text: String) throws {
            let url = base.appendingPathComponent(String(path.dropFirst()))
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            try Data(text.utf8).write(to: url)
            chmod(url.path, 0o600)
        }
        let fetched = root.deletingLastPathComponent().appendingPathComponent(root.lastPathComponent + "-fetched")
        try FileManager.default.createDirectory(at: fetched, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: fetched) }
        var files: [String: String] = [:]
        for (n, (path, object)) in objects.enumerated() {
            let file = fetched.appendingPathComponent("\(n).json")
            try Data(OpenShiftAPIResources.text(object).utf8).write(to: file)
            files[path] = file.path
        }
        for f in OpenShiftAPIFilter.all(in: benchmark) {
            guard let raw = files[f.endpoint], let object = objects[f.endpoint] else { continue }
            let text = OpenShiftAPIResources.text(object)
            if text.hasPrefix("#") {
                try put(f.dumpPath, text)
            } else if let out = try f.apply(to: raw, jq: jq) {
                try put(f.dumpPath, out)
            }
        }
        for role in ["master", "worker"] {
            if let object = objects["/kubeletconfig/role/" + role] { try put("/kubeletconfig/role/" + role, OpenShiftAPIResources.text(object)) }
        }
    }
}
