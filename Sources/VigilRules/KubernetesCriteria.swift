/// OVAL criteria for what a Kubernetes node is: which distribution is installed, and
/// (from `KubernetesLayout`) evidence that a component runs. Platforms and the checks that
/// name a `component` or a path per distribution are built from these.
extension RuleCheckOVAL {
    /// Any of the distribution's evidence files exists.
    func distributionInstalled(_ d: KubernetesDistribution) -> Criteria {
        anyExists(KubernetesLayout.evidence(d), "Kubernetes distribution \(d.rawValue) is installed")
    }

    /// Some file or directory of `paths` exists (one file_test over the union of their objects).
    func anyExists(_ paths: [String], _ comment: String) -> Criteria {
        let objects = paths.map { fileObject(FileSelection(path: $0, namePattern: nil)) }
        let obj = oval.union("unix:file_object", objects)
        return .test(oval.test("unix:file_test", comment: comment, object: obj, existence: "at_least_one_exists"))
    }

    /// For every distribution in `checks`: not installed, or its check holds; and at least
    /// one of them is installed (so that a node with none of them never passes).
    func perDistribution(_ checks: [(KubernetesDistribution, Criteria)]) -> Criteria {
        let each = checks.map { d, c in Criteria.or([.not(distributionInstalled(d)), c]) }
        return .and(each + [.or(checks.map { d, _ in distributionInstalled(d) })])
    }

    /// The check `make` builds for one path, for a `RulePath`: the path itself, or every
    /// listed distribution's path as `perDistribution` combines them.
    func each(_ path: RulePath, _ make: (String) -> Criteria) -> Criteria {
        switch path {
        case .single(let p): make(p)
        case .perDistribution(let entries): perDistribution(entries.map { ($0.distribution, make($0.path)) })
        }
    }

    /// Some Kubernetes distribution is installed.
    func kubernetesNode() -> Criteria {
        .or(KubernetesDistribution.allCases.map(distributionInstalled))
    }

    /// The component runs on the node (k8s-syntax.md, section 1): its kubeadm or rke2 static
    /// pod manifest exists; or k3s runs it (a server unit for the control plane; for etcd a
    /// server unit and k3s's embedded etcd data directory; any k3s unit for the kubelet and
    /// kube-proxy); or, for the kubelet, rke2 or kubeadm is installed.
    func componentRuns(_ c: KubernetesComponent) -> Criteria {
        var files = [KubernetesDistribution.kubeadm, .rke2].compactMap { KubernetesLayout.manifest(c, $0) }
        var alternatives: [Criteria] = []
        switch c {
        case .apiServer, .controllerManager, .scheduler:
            files += KubernetesLayout.k3sServerUnits
        case .etcd:
            alternatives.append(.and([anyExists(KubernetesLayout.k3sServerUnits, "a k3s server unit exists"),
                                      anyExists([KubernetesLayout.k3sEtcdDirectory], "k3s runs embedded etcd")]))
        case .kubelet:
            files += KubernetesLayout.evidence(.k3s) + KubernetesLayout.evidence(.rke2) + KubernetesLayout.evidence(.kubeadm)
        case .proxy:
            files += KubernetesLayout.evidence(.k3s)
        }
        let runs = anyExists(files, "\(c.rawValue) runs on this node")
        return alternatives.isEmpty ? runs : .or([runs] + alternatives)
    }
}
