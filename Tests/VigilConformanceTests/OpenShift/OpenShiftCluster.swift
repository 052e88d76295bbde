import Foundation

/// The cluster-level settings of a generated OpenShift 4.12 cluster, from which its API
/// resources are built (`OpenShiftAPIResources`). The defaults are the hardened form the
/// ocp4 platform profiles ask for; deviations (`OpenShiftFixture`) change one setting.
struct OpenShiftCluster {
    var version = "4.12.0"
    var admissionPlugins = ["CertificateApproval", "CertificateSigning", "CertificateSubjectRestriction",
                            "DefaultIngressClass", "MutatingAdmissionWebhook", "NamespaceLifecycle",
                            "NodeRestriction", "OwnerReferencesPermissionEnforcement", "PersistentVolumeClaimResize",
                            "PodNodeSelector", "PodTolerationRestriction", "Priority", "ResourceQuota",
                            "RuntimeClass", "ServiceAccount", "StorageObjectInUseProtection", "TaintNodesByCondition",
                            "ValidatingAdmissionWebhook", "security.openshift.io/SecurityContextConstraint",
                            "security.openshift.io/SCCExecRestrictions"]
    var auditLogMaxBackup = "10"
    var authorizationModes = ["Scope", "SystemMasters", "RBAC", "Node"]
    var encryption = "aescbc"
    var auditProfile = "Default"
    var identityProviders: [(type: String, ldapInsecure: Bool)] = [("OpenID", false)]
    var insecureRegistries: [String] = []
    var kubeletAnonymous = false
    var kubeletReadOnlyPort = 0
    var workerEvictionHardMemory = "200Mi"
    var routeTermination = "Redirect"
    var etcdClientCertAuth = true
    var controllerUseServiceAccount = true
    var sccCapabilities: [String]? = nil
    var fips = true
    /// User namespaces ("app-N"); each has a role, a network policy and a resource quota.
    var namespaces = 3
    var namespacesWithoutNetworkPolicy = 0

    static let tlsCiphers = ["TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                             "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"]
}
