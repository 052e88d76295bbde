import Foundation

/// What k3s and rke2 pass to a component: `<component>-arg` lists in config.yaml and
/// config.yaml.d/*.yaml, `--<component>-arg` on the unit's command line, k3s options
/// (`k3s_option`) and k3s's built-in arguments (`k3s_default`).
extension RuleCheckOVAL {
    /// A layout path whose last part may hold '*', as a file selection.
    static func selection(_ path: String) -> FileSelection {
        let dir = (path as NSString).deletingLastPathComponent, name = (path as NSString).lastPathComponent
        guard name.contains("*") else { return FileSelection(path: path, namePattern: nil) }
        let pattern = "^" + name.split(separator: "*", omittingEmptySubsequences: false)
            .map { NSRegularExpression.escapedPattern(for: String($0)) }.joined(separator: "[^/]*") + "$"
        return FileSelection(path: dir, namePattern: pattern)
    }

    /// Every occurrence of `name` in `key` lists of the distribution's config files and in
    /// `--key` arguments of its units, each capturing the value.
    func argumentObject(_ d: KubernetesDistribution, key: String, name: String) -> String {
        let configs = KubernetesLayout.configFiles(d).map(RuleCheckOVAL.selection)
        var members = ComponentFlagPatterns.configList(key: key, name: name).map { textObject(configs, pattern: $0) }
        let units = KubernetesLayout.serviceUnits(d).map(RuleCheckOVAL.selection)
        members.append(textObject(units, pattern: ComponentFlagPatterns.unitArgument(key: key, name: name)))
        return oval.union("ind:textfilecontent54_object", members)
    }

    /// A criteria that always holds / never holds (built from any test `c`).
    func always(_ c: Criteria) -> Criteria { .or([c, .not(c)]) }
    func never(_ c: Criteria) -> Criteria { .and([c, .not(c)]) }

    /// The verdict from a flag's occurrences (`all` pass, `some` exists): every occurrence
    /// passes, and when there is none, `otherwise` decides (nil: the check holds).
    func occurrencesThen(_ c: FlagCheck, all: Criteria, some: Criteria, otherwise: Criteria?) -> Criteria {
        switch c.condition {
        case .present: return otherwise.map { .or([some, $0]) } ?? always(some)
        case .absent: return .and([.not(some), otherwise ?? always(some)])
        case .value: return otherwise.map { .and([all, .or([some, $0])]) } ?? all
        }
    }

    /// k3s with no occurrence: a `k3s_option` that is set makes the flag true, else
    /// `k3s_default` decides. Nil when that always passes.
    func k3sOtherwise(_ c: FlagCheck, some: Criteria) -> Criteria? {
        guard let set = k3sOptionSet(c) else { return c.k3sMissingPasses ? nil : never(some) }
        let alternatives = (c.k3sOptionPasses ? [set] : []) + (c.k3sMissingPasses ? [.not(set)] : [])
        return alternatives.isEmpty ? never(some) : (alternatives.count == 1 ? alternatives[0] : nil)
    }

    /// The rule's `k3s_option` is set in a k3s config file or on the unit; nil without one.
    func k3sOptionSet(_ c: FlagCheck) -> Criteria? {
        guard let option = c.k3sOption else { return nil }
        let configs = KubernetesLayout.configFiles(.k3s).map(RuleCheckOVAL.selection)
        let units = KubernetesLayout.serviceUnits(.k3s).map(RuleCheckOVAL.selection)
        let obj = oval.union("ind:textfilecontent54_object", [
            textObject(configs, pattern: ComponentFlagPatterns.configOption(option)),
            textObject(units, pattern: ComponentFlagPatterns.unitOption(option)),
        ])
        return .test(oval.test("ind:textfilecontent54_test", comment: "k3s option \(option) is set", object: obj))
    }

    /// The flag of a component k3s runs in its own process (not etcd with `config`, not the kubelet's config).
    mutating func k3sArguments(_ c: FlagCheck, _ component: KubernetesComponent, _ title: String) -> Criteria {
        let obj = argumentObject(.k3s, key: KubernetesLayout.argumentKey(component), name: c.name)
        let (all, some) = capturedValues(obj, c.valueTest, title)
        return occurrencesThen(c, all: all, some: some, otherwise: k3sOtherwise(c, some: some))
    }
}
