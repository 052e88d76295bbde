import VigilXML

/// The `flag` check kind with a `component`: every place the component's flag can be set
/// on the node, per installed distribution (`KubernetesLayout`), and the running process.
/// The check passes when every source that exists passes and at least one exists
/// (`rules/README.md`, "flag ... component").
extension RuleCheckOVAL {
    /// One place a flag is read from: whether it exists on the node, and whether it passes
    /// (judged only where it exists).
    struct FlagSource {
        var exists: Criteria
        var passes: Criteria
    }

    mutating func componentFlag(_ c: FlagCheck, _ component: KubernetesComponent, _ title: String) -> Criteria {
        var perDistribution: [Criteria] = []
        var existence: [Criteria] = []
        for d in KubernetesDistribution.allCases {
            let sources = flagSources(c, component, d, "\(title) (\(d.rawValue))")
            guard !sources.isEmpty else { continue }
            let installed = distributionInstalled(d)
            perDistribution.append(.or([.not(installed), .and(sources.map { .or([.not($0.exists), $0.passes]) })]))
            existence.append(.and([installed, .or(sources.map(\.exists))]))
        }
        if let p = processSource(c, component, title) {
            perDistribution.append(p.passes)
            existence.append(p.exists)
        }
        return .and(perDistribution + [.or(existence)])
    }

    /// The sources of the flag under distribution `d`.
    mutating func flagSources(_ c: FlagCheck, _ component: KubernetesComponent, _ d: KubernetesDistribution,
                              _ title: String) -> [FlagSource] {
        switch (component, d) {
        case (.kubelet, _): return [kubeletSource(c, d, title)]
        case (.etcd, .rke2): return KubernetesLayout.manifest(.etcd, .rke2).map { [etcdManifestSource(c, $0, title)] } ?? []
        case (.etcd, .k3s) where c.config != nil: return [k3sEtcdSource(c, title)]
        case (.proxy, .k3s): return [FlagSource(exists: distributionInstalled(.k3s), passes: k3sArguments(c, component, title))]
        case (_, .k3s):
            let server = anyExists(KubernetesLayout.k3sServerUnits, "a k3s server unit exists")
            return [FlagSource(exists: server, passes: k3sArguments(c, component, title))]
        default: return KubernetesLayout.manifest(component, d).map { [manifestSource(c, $0, title)] } ?? []
        }
    }

    /// The component's static pod manifest, read as the `flag` kind reads `files`.
    mutating func manifestSource(_ c: FlagCheck, _ path: String, _ title: String) -> FlagSource {
        FlagSource(exists: anyExists([path], "\(path) exists"), passes: manifestFlag(c, path, title))
    }

    mutating func manifestFlag(_ c: FlagCheck, _ path: String, _ title: String) -> Criteria {
        var one = c
        one.component = nil
        one.files = [FileSelection(path: path, namePattern: nil)]
        return flag(one, title + " in \(path)")
    }

    /// The running process (argv[0]'s base name is the component): its command line's last
    /// `--name` passes. The kubelet's flag, when absent, leaves the decision to the files; a
    /// kubelet's `--config` or etcd's `--config-file` is read through the process's root.
    mutating func processSource(_ c: FlagCheck, _ component: KubernetesComponent, _ title: String) -> FlagSource? {
        let absentPasses = component == .kubelet && c.config != nil ? true : c.missingPasses
        guard let pattern = ComponentFlagPatterns.process(c, absentPasses: absentPasses) else { return nil }
        let name = RuleCheckOVAL.re(component.rawValue)
        let obj = oval.object("unix:process58_object",
                              "<unix:command_line operation=\"pattern match\">^(?:\\S*/)?\(xmlEscape(name))(?:\\s|$)</unix:command_line>"
                              + "<unix:pid datatype=\"int\" operation=\"greater than\">0</unix:pid>")
        let runs = oval.test("unix:process58_test", comment: "a \(component.rawValue) process runs", object: obj)
        let ste = oval.state("unix:process58_state", processState("^\(pattern)$", c))
        let passes = oval.test("unix:process58_test", comment: title + " (running process)", object: obj, states: [ste],
                               existence: "any_exist")
        guard component == .kubelet || component == .etcd, let setting = c.config else {
            return FlagSource(exists: .test(runs), passes: .test(passes))
        }
        return FlagSource(exists: .test(runs), passes: processWithConfig(c, component, setting, process: obj, flags: .test(passes), title))
    }

    /// The state's command line pattern; a `${value}` the flag must equal is put in by a
    /// local variable (the pattern around it, and the value through `escape_regex`).
    mutating func processState(_ pattern: String, _ c: FlagCheck) -> String {
        let parts = pattern.components(separatedBy: ComponentFlagPatterns.valuePlaceholder)
        guard parts.count == 2, case .equals(let v)? = c.valueTest, let ref = comparison(.equals(v)).varRef else {
            return "<unix:command_line operation=\"pattern match\">\(xmlEscape(pattern))</unix:command_line>"
        }
        let local = oval.localVariable(datatype: "string", comment: "the command line of a process whose --\(c.name) passes",
                                       "<concat><literal_component>\(xmlEscape(parts[0]))</literal_component>"
                                       + "<escape_regex><variable_component var_ref=\"\(ref)\"/></escape_regex>"
                                       + "<literal_component>\(xmlEscape(parts[1]))</literal_component></concat>")
        return "<unix:command_line operation=\"pattern match\" var_ref=\"\(local)\" var_check=\"all\"/>"
    }

    /// Tests over captured values: every capture passes the flag's test (none: true), and
    /// some capture exists.
    mutating func capturedValues(_ obj: String, _ test: ValueTest?, _ title: String) -> (allPass: Criteria, someSet: Criteria) {
        let some = Criteria.test(oval.test("ind:textfilecontent54_test", comment: title + " (set)", object: obj))
        guard let t = test else { return (some, some) }
        let all = oval.test("ind:textfilecontent54_test", comment: title, object: obj, states: states(t), existence: "any_exist")
        return (.test(all), some)
    }
}
