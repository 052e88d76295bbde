import Foundation

/// The API resources of an `OpenShiftCluster`, by API path, as `oc get --raw PATH` returns
/// them (JSON); the compliance operator's dump holds them under `/kubernetes-api-resources`.
enum OpenShiftAPIResources {
    typealias Object = [String: Any]

    /// What the compliance operator writes for an object the API answers 404 for.
    static var notFound: Object { ["#": "# kube-api-error=NotFound"] }

    /// A dumped object's file text: JSON with sorted keys (as Go's encoder writes maps), or
    /// the operator's 404 comment.
    static func text(_ object: Object) -> String {
        if object.count == 1, let comment = object["#"] as? String { return comment }
        return json(object)
    }

    static func objects(_ c: OpenShiftCluster) -> [String: Object] {
        var o: [String: Object] = [:]
        o["/version"] = ["major": "1", "minor": "25", "gitVersion": "v1.25.4+77bec7a", "platform": "linux/amd64"]
        o["/apis/config.openshift.io/v1/clusteroperators/openshift-apiserver"] = resource("ClusterOperator", "openshift-apiserver",
            status: ["versions": [["name": "operator", "version": c.version], ["name": "openshift-apiserver", "version": c.version]]])
        o["/apis/config.openshift.io/v1/clusterversions/version"] = resource("ClusterVersion", "version", spec: ["channel": "stable-4.12"],
            status: ["conditions": [["type": "Available", "status": "True"], ["type": "Failing", "status": "False"]],
                     "history": [["version": c.version, "verified": true, "state": "Completed"],
                                 ["version": "4.11.20", "verified": true, "state": "Completed"],
                                 ["version": "4.11.0", "verified": true, "state": "Completed"]]])
        o["/apis/config.openshift.io/v1/infrastructures/cluster"] = resource("Infrastructure", "cluster",
            status: ["platform": "AWS", "platformStatus": ["type": "AWS"], "controlPlaneTopology": "HighlyAvailable"])
        o["/apis/config.openshift.io/v1/networks/cluster"] = resource("Network", "cluster",
            spec: ["networkType": "OVNKubernetes"], status: ["networkType": "OVNKubernetes"])
        o["/apis/operator.openshift.io/v1/networks/cluster"] = resource("Network", "cluster", spec: ["defaultNetwork": ["type": "OVNKubernetes"]])
        apiServers(c, &o)
        controlPlaneConfigMaps(c, &o)
        oauth(c, &o)
        workloads(c, &o)
        o["/kubeletconfig/role/master"] = kubelet(c, role: "master")
        o["/kubeletconfig/role/worker"] = kubelet(c, role: "worker")
        return o
    }

    static func json(_ value: Any) -> String {
        let data = try! JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes, .fragmentsAllowed])
        return String(decoding: data, as: UTF8.self)
    }

    static func resource(_ kind: String, _ name: String, namespace: String? = nil, spec: Object? = nil, status: Object? = nil,
                         extra: Object = [:]) -> Object {
        var meta: Object = ["name": name, "uid": "00000000-0000-4000-8000-\(String(format: "%012d", abs(name.hashValue) % 1_000_000_000_000))"]
        if let namespace { meta["namespace"] = namespace }
        var r: Object = ["kind": kind, "metadata": meta]
        if let spec { r["spec"] = spec }
        if let status { r["status"] = status }
        return r.merging(extra) { $1 }
    }

    static func list(_ kind: String, _ items: [Object]) -> Object {
        ["kind": kind + "List", "apiVersion": "v1", "metadata": ["resourceVersion": "123456"], "items": items]
    }

    private static func apiServers(_ c: OpenShiftCluster, _ o: inout [String: Object]) {
        let pki = "/etc/kubernetes/static-pod-resources"
        let args: Object = [
            "enable-admission-plugins": c.admissionPlugins,
            "audit-log-format": ["json"], "audit-log-maxbackup": [c.auditLogMaxBackup], "audit-log-maxsize": ["100"],
            "audit-log-path": ["/var/log/kube-apiserver/audit.log"], "audit-policy-file": ["\(pki)/configmaps/kube-apiserver-audit-policies/policy.yaml"],
            "authorization-mode": c.authorizationModes,
            "etcd-cafile": ["\(pki)/configmaps/etcd-serving-ca/ca-bundle.crt"],
            "etcd-certfile": ["\(pki)/secrets/etcd-client/tls.crt"], "etcd-keyfile": ["\(pki)/secrets/etcd-client/tls.key"],
            "feature-gates": ["APIPriorityAndFairness=true", "RotateKubeletServerCertificate=true"],
            "insecure-port": ["0"], "kubelet-certificate-authority": ["\(pki)/configmaps/kubelet-serving-ca/ca-bundle.crt"],
            "kubelet-client-certificate": ["\(pki)/secrets/kubelet-client/tls.crt"],
            "kubelet-client-key": ["\(pki)/secrets/kubelet-client/tls.key"],
            "kubelet-read-only-port": ["\(c.kubeletReadOnlyPort)"], "min-request-timeout": ["3600"],
            "service-account-lookup": ["true"], "tls-cert-file": ["\(pki)/secrets/service-network-serving-certkey/tls.crt"],
            "tls-private-key-file": ["\(pki)/secrets/service-network-serving-certkey/tls.key"],
        ]
        let config: Object = [
            "apiVersion": "kubecontrolplane.config.openshift.io/v1", "kind": "KubeAPIServerConfig",
            "apiServerArguments": args,
            "servingInfo": ["bindAddress": "0.0.0.0:6443", "bindNetwork": "tcp4", "cipherSuites": OpenShiftCluster.tlsCiphers,
                            "minTLSVersion": "VersionTLS12"],
            "serviceAccountPublicKeyFiles": ["\(pki)/configmaps/sa-token-signing-certs", "\(pki)/configmaps/bound-sa-token-signing-certs"],
        ]
        o["/api/v1/namespaces/openshift-kube-apiserver/configmaps/config"] = resource("ConfigMap", "config",
            namespace: "openshift-kube-apiserver", extra: ["data": ["config.yaml": json(config)]])
        let ocpConfig: Object = [
            "apiServerArguments": ["audit-log-format": ["json"], "audit-log-maxbackup": [c.auditLogMaxBackup],
                                   "audit-log-maxsize": ["100"], "audit-log-path": ["/var/log/openshift-apiserver/audit.log"]],
            "servingInfo": ["cipherSuites": OpenShiftCluster.tlsCiphers, "minTLSVersion": "VersionTLS12"],
        ]
        o["/api/v1/namespaces/openshift-apiserver/configmaps/config"] = resource("ConfigMap", "config",
            namespace: "openshift-apiserver", extra: ["data": ["config.yaml": json(ocpConfig)]])
        o["/apis/config.openshift.io/v1/apiservers/cluster"] = resource("APIServer", "cluster",
            spec: ["audit": ["profile": c.auditProfile], "encryption": ["type": c.encryption],
                   "tlsSecurityProfile": ["type": "Intermediate", "intermediate": [:] as Object]])
        let overrides: Object = ["servingInfo": ["cipherSuites": OpenShiftCluster.tlsCiphers]]
        o["/apis/operator.openshift.io/v1/kubeapiservers/cluster"] = resource("KubeAPIServer", "cluster",
            spec: ["managementState": "Managed", "unsupportedConfigOverrides": overrides,
                   "observedConfig": ["apiServerArguments": ["feature-gates": ["APIPriorityAndFairness=true", "RotateKubeletServerCertificate=true"]]]])
        o["/apis/operator.openshift.io/v1/openshiftapiservers/cluster"] = resource("OpenShiftAPIServer", "cluster",
            spec: ["managementState": "Managed", "unsupportedConfigOverrides": overrides])
        for v in ["v1alpha1", "v1beta1", "v1beta2"] {
            o["/apis/flowcontrol.apiserver.k8s.io/\(v)/flowschemas/catch-all"] = resource("FlowSchema", "catch-all",
                spec: ["matchingPrecedence": 10000, "rules": [["subjects": [["kind": "Group", "group": ["name": "system:unauthenticated"]],
                                                                             ["kind": "Group", "group": ["name": "system:authenticated"]]]]]])
        }
        o["/apis/rbac.authorization.k8s.io/v1/clusterroles/cluster-debugger"] = resource("ClusterRole", "cluster-debugger",
            extra: ["rules": [["nonResourceURLs": ["/debug/pprof", "/debug/pprof/*", "/metrics"], "verbs": ["get"]]]])
        o["/apis/operator.openshift.io/v1/namespaces/openshift-ingress-operator/ingresscontrollers/default"] = resource("IngressController", "default",
            namespace: "openshift-ingress-operator", spec: ["defaultCertificate": ["name": "custom-certs-default"]],
            status: ["tlsProfile": ["ciphers": ["ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256"], "minTLSVersion": "VersionTLS12"]])
        o["/apis/apps/v1/namespaces/openshift-ingress/deployments/router-default"] = resource("Deployment", "router-default",
            namespace: "openshift-ingress", spec: ["template": ["spec": ["containers": [["name": "router",
                "env": [["name": "ROUTER_SERVICE_NAMESPACE", "value": "openshift-ingress"], ["name": "SSL_MIN_VERSION", "value": "TLSv1.2"]]]]]]])
    }

    private static func controlPlaneConfigMaps(_ c: OpenShiftCluster, _ o: inout [String: Object]) {
        let kcm: Object = ["extendedArguments": [
            "secure-port": ["10257"], "feature-gates": ["RotateKubeletServerCertificate=true"],
            "root-ca-file": ["/etc/kubernetes/static-pod-resources/configmaps/serviceaccount-ca/ca-bundle.crt"],
            "service-account-private-key-file": ["/etc/kubernetes/static-pod-resources/secrets/service-account-private-key/service-account.key"],
            "use-service-account-credentials": [c.controllerUseServiceAccount ? "true" : "false"],
        ]]
        o["/api/v1/namespaces/openshift-kube-controller-manager/configmaps/config"] = resource("ConfigMap", "config",
            namespace: "openshift-kube-controller-manager", extra: ["data": ["config.yaml": json(kcm)]])
        let ciphers = OpenShiftCluster.tlsCiphers.joined(separator: ",")
        let etcdCommand = "exec etcd --cert-file=/etc/kubernetes/static-pod-certs/secrets/etcd-all-certs/etcd-serving.crt "
            + "--key-file=/etc/kubernetes/static-pod-certs/secrets/etcd-all-certs/etcd-serving.key "
            + "--client-cert-auth=\(c.etcdClientCertAuth) --trusted-ca-file=/etc/kubernetes/static-pod-certs/configmaps/etcd-serving-ca/ca-bundle.crt "
            + "--peer-cert-file=/etc/kubernetes/static-pod-certs/secrets/etcd-all-certs/etcd-peer.crt "
            + "--peer-key-file=/etc/kubernetes/static-pod-certs/secrets/etcd-all-certs/etcd-peer.key "
            + "--peer-client-cert-auth=true --cipher-suites=\(ciphers)"
        let etcdPod: Object = ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": "etcd", "namespace": "openshift-etcd"],
                               "spec": ["containers": [["name": "etcd", "command": ["/bin/sh", "-c", etcdCommand]]]]]
        o["/api/v1/namespaces/openshift-etcd/configmaps/etcd-pod"] = resource("ConfigMap", "etcd-pod",
            namespace: "openshift-etcd", extra: ["data": ["pod.yaml": json(etcdPod)]])
        let schedulerPod: Object = ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": "openshift-kube-scheduler"],
                                    "spec": ["containers": [["name": "kube-scheduler",
                                        "args": ["--config=/etc/kubernetes/static-pod-resources/configmaps/config/config.yaml", "--port=0"]]]]]
        o["/api/v1/namespaces/openshift-kube-scheduler/configmaps/kube-scheduler-pod"] = resource("ConfigMap", "kube-scheduler-pod",
            namespace: "openshift-kube-scheduler", extra: ["data": ["pod.yaml": json(schedulerPod)]])
    }

    private static func oauth(_ c: OpenShiftCluster, _ o: inout [String: Object]) {
        let idps: [Object] = c.identityProviders.enumerated().map { n, idp in
            var p: Object = ["name": "idp\(n)", "type": idp.type, "mappingMethod": "claim"]
            if idp.type == "LDAP" { p["ldap"] = ["insecure": idp.ldapInsecure, "url": "ldaps://ldap.example.com/ou=users?uid"] }
            return p
        }
        o["/apis/config.openshift.io/v1/oauths/cluster"] = resource("OAuth", "cluster", spec: [
            "identityProviders": idps, "templates": ["login": ["name": "login-template"]],
            "tokenConfig": ["accessTokenInactivityTimeout": "10m0s", "accessTokenMaxAgeSeconds": 28800]])
        o["/apis/oauth.openshift.io/v1/oauthclients"] = list("OAuthClient", ["console", "openshift-browser-client", "openshift-challenging-client"].map {
            resource("OAuthClient", $0, extra: ["accessTokenInactivityTimeoutSeconds": 600, "accessTokenMaxAgeSeconds": 28800, "grantMethod": "auto"])
        })
        o["/api/v1/namespaces/kube-system/secrets/kubeadmin"] = notFound
        o["/apis/config.openshift.io/v1/images/cluster"] = resource("Image", "cluster", spec: [
            "allowedRegistriesForImport": [["domainName": "registry.redhat.io", "insecure": false], ["domainName": "quay.io", "insecure": false]],
            "registrySources": ["allowedRegistries": ["registry.redhat.io", "quay.io", "image-registry.openshift-image-registry.svc:5000"],
                                "insecureRegistries": c.insecureRegistries]])
        o["/apis/config.openshift.io/v1/proxies/cluster"] = resource("Proxy", "cluster", spec: [
            "httpProxy": "http://proxy.example.com:3128", "httpsProxy": "http://proxy.example.com:3128", "trustedCA": ["name": "user-ca-bundle"]])
        o["/api/v1/namespaces/openshift/configmaps/motd"] = resource("ConfigMap", "motd", namespace: "openshift",
            extra: ["data": ["message": "Authorized use only. Activity may be monitored."]])
        o["/apis/console.openshift.io/v1/consolenotifications/classification-banner"] = resource("ConsoleNotification", "classification-banner",
            spec: ["text": "UNCLASSIFIED", "location": "BannerTopBottom"])
    }

    /// Cluster-wide lists: namespaces, roles, network policies, quotas, routes, workloads.
    private static func workloads(_ c: OpenShiftCluster, _ o: inout [String: Object]) {
        let user = (0..<c.namespaces).map { "app-\($0)" }
        let system = ["default", "kube-system", "openshift-etcd", "openshift-kube-apiserver", "openshift-ingress"]
        o["/api/v1/namespaces"] = list("Namespace", (system + user).map { resource("Namespace", $0) })
        o["/apis/rbac.authorization.k8s.io/v1/roles?limit=1000"] = list("Role", user.map {
            resource("Role", "developer", namespace: $0, extra: ["rules": [["apiGroups": [""], "resources": ["pods"], "verbs": ["get", "list"]]]])
        })
        o["/apis/rbac.authorization.k8s.io/v1/clusterroles?limit=1000"] = list("ClusterRole", ["admin", "edit", "view", "cluster-debugger"].map {
            resource("ClusterRole", $0, extra: ["rules": [["apiGroups": [""], "resources": ["pods"], "verbs": ["get"]]]])
        })
        o["/apis/rbac.authorization.k8s.io/v1/clusterrolebindings"] = list("ClusterRoleBinding", [
            resource("ClusterRoleBinding", "cluster-admins", extra: ["roleRef": ["kind": "ClusterRole", "name": "cluster-admin"],
                                                                      "subjects": [["kind": "Group", "name": "system:cluster-admins"]]]),
            resource("ClusterRoleBinding", "self-access-reviewers", extra: ["roleRef": ["kind": "ClusterRole", "name": "self-access-reviewer"],
                                                                             "subjects": [["kind": "Group", "name": "system:authenticated"]]]),
        ])
        let withPolicy = user.dropLast(c.namespacesWithoutNetworkPolicy)
        o["/apis/networking.k8s.io/v1/networkpolicies"] = list("NetworkPolicy", withPolicy.map {
            resource("NetworkPolicy", "deny-by-default", namespace: $0, spec: ["podSelector": [:] as Object, "ingress": [] as [Any]])
        })
        o["/api/v1/resourcequotas"] = list("ResourceQuota", user.map {
            resource("ResourceQuota", "quota", namespace: $0, spec: ["hard": ["requests.cpu": "4", "requests.memory": "8Gi"]])
        })
        o["/apis/quota.openshift.io/v1/clusterresourcequotas"] = list("ClusterResourceQuota", [resource("ClusterResourceQuota", "apps", spec: ["quota": ["hard": ["pods": "100"]]])])
        let resources: Object = ["requests": ["cpu": "100m", "memory": "128Mi"], "limits": ["cpu": "500m", "memory": "256Mi"]]
        for kind in ["deployments", "daemonsets", "statefulsets"] {
            o["/apis/apps/v1/\(kind)?limit=500"] = list(kind, user.map {
                resource(String(kind.dropLast()), "web", namespace: $0, spec: ["template": ["spec": ["containers": [["name": "web", "resources": resources]]]]])
            })
        }
        o["/apis/route.openshift.io/v1/routes?limit=500"] = list("Route", user.map {
            var r = resource("Route", "web", namespace: $0, spec: ["host": "web.\($0).apps.example.com",
                "tls": ["termination": "edge", "insecureEdgeTerminationPolicy": c.routeTermination]])
            r["metadata"] = ["name": "web", "namespace": $0, "annotations": ["haproxy.router.openshift.io/ip_whitelist": "10.0.0.0/8",
                                                                             "haproxy.router.openshift.io/rate-limit-connections": "true"]]
            return r
        })
        o["/apis/security.openshift.io/v1/securitycontextconstraints"] = list("SecurityContextConstraints", [
            resource("SecurityContextConstraints", "restricted-v2", extra: ["allowedCapabilities": ["NET_BIND_SERVICE"]]),
            resource("SecurityContextConstraints", "anyuid", extra: ["allowedCapabilities": c.sccCapabilities as Any? ?? NSNull()]),
        ])
        o["/apis/storage.k8s.io/v1/storageclasses"] = list("StorageClass", [resource("StorageClass", "gp3-csi",
            extra: ["provisioner": "ebs.csi.aws.com", "parameters": ["encrypted": "true", "type": "gp3"]])])
        o["/apis/machine.openshift.io/v1beta1/machinesets?limit=500"] = list("MachineSet", ["worker-us-east-1a", "worker-us-east-1b"].map {
            resource("MachineSet", $0, namespace: "openshift-machine-api", spec: ["template": ["spec": ["providerSpec": ["value":
                ["blockDevices": [["ebs": ["encrypted": true, "volumeSize": 120]]]]]]]])
        })
        o["/apis/machineconfiguration.openshift.io/v1/machineconfigs"] = list("MachineConfig", ["rendered-master-0a1b2c", "rendered-worker-3d4e5f", "99-worker-ssh"].map {
            resource("MachineConfig", $0, spec: ["fips": c.fips, "config": ["storage": ["luks": [["clevis": ["tpm2": true], "name": "root"]]]]])
        })
        o["/apis/monitoring.coreos.com/v1/prometheusrules?limit=500"] = list("PrometheusRule", [
            resource("PrometheusRule", "audit-errors", namespace: "openshift-kube-apiserver", spec: ["groups": [["name": "apiserver-audit",
                "rules": [["alert": "AuditLogError", "expr": "sum by (apiserver,instance)(rate(apiserver_audit_error_total{apiserver=~\".+-apiserver\"}[5m])) / sum by (apiserver,instance) (rate(apiserver_audit_event_total{apiserver=~\".+-apiserver\"}[5m])) > 0"]]]]]),
            resource("PrometheusRule", "compliance", namespace: "openshift-compliance", spec: ["groups": [["name": "compliance", "rules": [["alert": "NonCompliant", "expr": "compliance_operator_compliance_state > 0"]]]]]),
            resource("PrometheusRule", "file-integrity", namespace: "openshift-file-integrity", spec: ["groups": [["name": "fio", "rules": [["alert": "NodeHasIntegrityFailure", "expr": "file_integrity_operator_node_failed > 0"]]]]]),
        ])
        o["/apis/logging.openshift.io/v1/namespaces/openshift-logging/clusterlogforwarders/instance"] = resource("ClusterLogForwarder", "instance",
            namespace: "openshift-logging", spec: ["outputs": [["name": "siem", "type": "syslog", "url": "tls://siem.example.com:6514"]],
                                                   "pipelines": [["name": "audit", "inputRefs": ["audit"], "outputRefs": ["siem"]]]])
        o["/apis/logging.openshift.io/v1/namespaces/openshift-logging/clusterloggings/instance"] = resource("ClusterLogging", "instance",
            namespace: "openshift-logging", spec: ["managementState": "Managed"])
        for path in ["/apis/compliance.openshift.io/v1alpha1/compliancesuites?limit=5", "/apis/fileintegrity.openshift.io/v1alpha1/fileintegrities?limit=5",
                     "/apis/pipelines.openshift.io/v1alpha1/gitopsservices?limit=5"] {
            o[path] = list("Item", [resource("Item", "cluster", namespace: "openshift-operators")])
        }
        o["/apis/apps/v1/namespaces/openshift-sdn/daemonsets/sdn"] = notFound
    }

    /// A role's kubelet configuration as `/api/v1/nodes/NODE/proxy/configz` gives it.
    private static func kubelet(_ c: OpenShiftCluster, role: String) -> Object {
        var config = (try? JSONSerialization.jsonObject(with: Data(OpenShiftNodeFiles.kubeletConfig.utf8))) as? Object ?? [:]
        config["authentication"] = ["x509": ["clientCAFile": "/etc/kubernetes/kubelet-ca.crt"], "webhook": ["enabled": true, "cacheTTL": "0s"],
                                    "anonymous": ["enabled": c.kubeletAnonymous]]
        config["readOnlyPort"] = c.kubeletReadOnlyPort
        if role == "worker", var hard = config["evictionHard"] as? Object {
            hard["memory.available"] = c.workerEvictionHardMemory
            config["evictionHard"] = hard
        }
        return config
    }
}
