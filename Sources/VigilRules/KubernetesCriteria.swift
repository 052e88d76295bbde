/// OVAL criteria for what a Kubernetes node is: which distribution is installed, and
/// (from `KubernetesLayout`) evidence that a component runs. Platforms and the checks that
/// name a `component` or a path per distribution are built from these.
extension RuleCheckOVAL {
    /// Any of the distribution's evidence files exists.
    func distributionInstalled(_ d: KubernetesDistribution) -> Criteria {
        anyExists(KubernetesLayout.evidence(d), "Kubernetes distribution \(d.rawValue) is installed")
    }

    /// Some file of `paths` exists (one file_test over the union of their objects).
    func anyExists(_ paths: [String], _ comment: String) -> Criteria {
        let objects = paths.map { oval.object("unix:file_object", fileEntities(FileSelection(path: $0, namePattern: nil), prefix: "unix")) }
        let obj = oval.union("unix:file_object", objects)
        return .test(oval.test("unix:file_test", comment: comment, object: obj, existence: "at_least_one_exists"))
    }

    /// For every distribution in `checks`: not installed, or its check holds; and at least
    /// one of them is installed (so that a node with none of them never passes).
    func perDistribution(_ checks: [(KubernetesDistribution, Criteria)]) -> Criteria {
        let each = checks.map { d, c in Criteria.or([.not(distributionInstalled(d)), c]) }
        return .and(each + [.or(checks.map { d, _ in distributionInstalled(d) })])
    }
}
