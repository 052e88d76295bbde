"""A kubeadm control-plane node tree for benchmarks: static pod manifests, PKI, kubeconfigs,
the kubelet's unit, drop-in, environment file and config, laid out as kubeadm v1.31 writes
them and hardened per CIS 1.12. The tests build richer trees (Tests/VigilConformanceTests/
Kubernetes); this one only has to be realistic in size and shape for timing."""
import os

APISERVER = [
    "--advertise-address=192.168.56.10", "--allow-privileged=true", "--anonymous-auth=false",
    "--authorization-mode=Node,RBAC", "--client-ca-file=/etc/kubernetes/pki/ca.crt",
    "--enable-admission-plugins=NodeRestriction,EventRateLimit,AlwaysPullImages",
    "--admission-control-config-file=/etc/kubernetes/admission.yaml", "--enable-bootstrap-token-auth=true",
    "--etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt", "--etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt",
    "--etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key", "--etcd-servers=https://127.0.0.1:2379",
    "--kubelet-client-certificate=/etc/kubernetes/pki/apiserver-kubelet-client.crt",
    "--kubelet-client-key=/etc/kubernetes/pki/apiserver-kubelet-client.key",
    "--kubelet-certificate-authority=/etc/kubernetes/pki/ca.crt", "--profiling=false",
    "--audit-log-path=/var/log/kubernetes/audit/audit.log", "--audit-log-maxage=30", "--audit-log-maxbackup=10",
    "--audit-log-maxsize=100", "--audit-policy-file=/etc/kubernetes/audit-policy.yaml",
    "--service-account-lookup=true", "--service-account-key-file=/etc/kubernetes/pki/sa.pub",
    "--service-account-signing-key-file=/etc/kubernetes/pki/sa.key",
    "--service-account-issuer=https://kubernetes.default.svc.cluster.local", "--secure-port=6443",
    "--tls-cert-file=/etc/kubernetes/pki/apiserver.crt", "--tls-private-key-file=/etc/kubernetes/pki/apiserver.key",
    "--tls-min-version=VersionTLS12", "--encryption-provider-config=/etc/kubernetes/encryption.yaml",
    "--tls-cipher-suites=TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    "--request-timeout=60s", "--service-account-extend-token-expiration=false",
]
CONTROLLER = [
    "--authentication-kubeconfig=/etc/kubernetes/controller-manager.conf", "--bind-address=127.0.0.1",
    "--kubeconfig=/etc/kubernetes/controller-manager.conf", "--profiling=false", "--leader-elect=true",
    "--root-ca-file=/etc/kubernetes/pki/ca.crt", "--service-account-private-key-file=/etc/kubernetes/pki/sa.key",
    "--terminated-pod-gc-threshold=10", "--use-service-account-credentials=true",
    "--feature-gates=RotateKubeletServerCertificate=true", "--tls-min-version=VersionTLS12",
]
SCHEDULER = ["--bind-address=127.0.0.1", "--kubeconfig=/etc/kubernetes/scheduler.conf", "--profiling=false",
             "--leader-elect=true", "--tls-min-version=VersionTLS12"]
ETCD = ["--cert-file=/etc/kubernetes/pki/etcd/server.crt", "--key-file=/etc/kubernetes/pki/etcd/server.key",
        "--client-cert-auth=true", "--auto-tls=false", "--peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt",
        "--peer-key-file=/etc/kubernetes/pki/etcd/peer.key", "--peer-client-cert-auth=true", "--peer-auto-tls=false",
        "--trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt", "--data-dir=/var/lib/etcd"]
KUBELET_CONFIG = """apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
authentication:
  anonymous:
    enabled: false
  webhook:
    enabled: true
  x509:
    clientCAFile: /etc/kubernetes/pki/ca.crt
authorization:
  mode: Webhook
readOnlyPort: 0
streamingConnectionIdleTimeout: 5m
protectKernelDefaults: true
makeIPTablesUtilChains: true
rotateCertificates: true
serverTLSBootstrap: true
tlsMinVersion: VersionTLS12
"""


def manifest(name, flags):
    lines = ["apiVersion: v1", "kind: Pod", "metadata:", f"  name: {name}", "  namespace: kube-system", "spec:",
             "  containers:", "  - command:", f"    - {name}"]
    lines += [f"    - {f}" for f in flags]
    lines += [f"    image: registry.k8s.io/{name}:v1.31.2", f"    name: {name}", "  hostNetwork: true", ""]
    return "\n".join(lines)


def write(root):
    """Writes the tree under root; returns the number of files."""
    files = {}
    for name, flags in [("kube-apiserver", APISERVER), ("kube-controller-manager", CONTROLLER),
                        ("kube-scheduler", SCHEDULER), ("etcd", ETCD)]:
        files[f"/etc/kubernetes/manifests/{name}.yaml"] = (manifest(name, flags), 0o600)
    pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
    key = "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n"
    for pair in ["ca", "apiserver", "apiserver-kubelet-client", "front-proxy-ca", "front-proxy-client",
                 "apiserver-etcd-client", "etcd/ca", "etcd/server", "etcd/peer", "etcd/healthcheck-client"]:
        files[f"/etc/kubernetes/pki/{pair}.crt"] = (pem, 0o644)
        files[f"/etc/kubernetes/pki/{pair}.key"] = (key, 0o600)
    for conf in ["admin", "super-admin", "controller-manager", "scheduler", "kubelet"]:
        files[f"/etc/kubernetes/{conf}.conf"] = ("apiVersion: v1\nkind: Config\nclusters: []\n", 0o600)
    files["/usr/lib/systemd/system/kubelet.service"] = ("[Service]\nExecStart=/usr/bin/kubelet\n", 0o644)
    files["/usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf"] = (
        "[Service]\nEnvironment=\"KUBELET_KUBECONFIG_ARGS=--kubeconfig=/etc/kubernetes/kubelet.conf\"\n"
        "Environment=\"KUBELET_CONFIG_ARGS=--config=/var/lib/kubelet/config.yaml\"\n"
        "EnvironmentFile=-/var/lib/kubelet/kubeadm-flags.env\nEnvironmentFile=-/etc/default/kubelet\n"
        "ExecStart=\nExecStart=/usr/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS "
        "$KUBELET_KUBEADM_ARGS $KUBELET_EXTRA_ARGS\n", 0o644)
    files["/var/lib/kubelet/kubeadm-flags.env"] = (
        "KUBELET_KUBEADM_ARGS=\"--container-runtime-endpoint=unix:///run/containerd/containerd.sock\"\n", 0o600)
    files["/etc/default/kubelet"] = ("KUBELET_EXTRA_ARGS=\n", 0o600)
    files["/var/lib/kubelet/config.yaml"] = (KUBELET_CONFIG, 0o600)
    files["/etc/os-release"] = ("ID=debian\nVERSION_ID=\"12\"\n", 0o644)
    for path, (text, mode) in files.items():
        full = os.path.join(root, path.lstrip("/"))
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w") as f:
            f.write(text)
        os.chmod(full, mode)
    for d in ["var/lib/etcd/member/snap"]:
        os.makedirs(os.path.join(root, d), exist_ok=True)
    os.chmod(os.path.join(root, "var/lib/etcd"), 0o700)
    return len(files)
