import VigilXML

/// The kubelet's flag with the kubelet's precedence: a command-line flag (kubeadm: the unit,
/// its drop-ins and environment files; k3s/rke2: `kubelet-arg` and the unit) over the
/// configuration file (kubeadm: the file `--config` names; k3s/rke2: kubelet.conf.d) over
/// the default. Also the YAML comparison shared with etcd's configuration file.
extension RuleCheckOVAL {
    mutating func kubeletSource(_ c: FlagCheck, _ d: KubernetesDistribution, _ title: String) -> FlagSource {
        let all: Criteria, some: Criteria, file: String?
        switch d {
        case .kubeadm:
            let files = (KubernetesLayout.kubeletUnitFiles + KubernetesLayout.kubeletEnvironmentFiles).map(RuleCheckOVAL.selection)
            let obj = textObject(files, pattern: ComponentFlagPatterns.commandLine(name: c.name, boolean: c.boolean))
            let test: ValueTest? = if case .value(let t) = c.condition { t } else { nil }
            (all, some) = capturedValues(obj, test, title + " (unit and environment files)")
            let path = textObject(files, pattern: ComponentFlagPatterns.commandLine(name: "config", boolean: false))
            let variable = oval.localVariable(datatype: "string", comment: "the kubelet's --config file",
                                              "<object_component item_field=\"subexpression\" object_ref=\"\(path)\"/>")
            file = "<ind:filepath operation=\"equals\" var_ref=\"\(variable)\"/>"
        case .k3s, .rke2:
            let obj = argumentObject(d, key: KubernetesLayout.argumentKey(.kubelet), name: c.name)
            (all, some) = capturedValues(obj, c.valueTest, title + " (kubelet-arg)")
            file = KubernetesLayout.kubeletConfigDropIns(d).first.map { fileEntities(RuleCheckOVAL.selection($0), prefix: "ind") }
        }
        let missing = d == .k3s ? c.k3sMissingPasses : c.missingPasses
        var otherwise: Criteria? = d == .k3s ? k3sOtherwise(c, some: some) : (missing ? nil : never(some))
        if let setting = c.config, let file {
            let fromFile = configDecides(file, setting, missingPasses: missing, title + " (configuration file)") ?? always(some)
            // k3s passes the option's flag itself, over the file; without it the file decides.
            if d == .k3s, let set = k3sOptionSet(c) {
                otherwise = c.k3sOptionPasses ? .or([set, fromFile]) : .and([.not(set), fromFile])
            } else {
                otherwise = fromFile
            }
        }
        return FlagSource(exists: distributionInstalled(d), passes: occurrencesThen(c, all: all, some: some, otherwise: otherwise))
    }

    /// The configuration file's setting decides: every value found passes, and without one
    /// the default decides (nil: the check holds). `file` is the object's path entities.
    mutating func configDecides(_ file: String, _ s: ComponentConfigSetting, missingPasses: Bool, _ title: String) -> Criteria? {
        let obj = oval.object("ind:yamlfilecontent_object", file + "<ind:yamlpath>\(xmlEscape(s.yamlPath))</ind:yamlpath>")
        let all = Criteria.test(oval.test("ind:yamlfilecontent_test", comment: title, object: obj, states: yamlStates(s),
                                          existence: "any_exist"))
        if missingPasses { return all }
        let set = Criteria.test(oval.test("ind:yamlfilecontent_test", comment: title + " (set)", object: obj))
        return .and([all, set])
    }

    /// The yamlfilecontent states for a setting (two for a range).
    mutating func yamlStates(_ s: ComponentConfigSetting) -> [String] {
        let tests: [ValueTest] = if case .range(let lo, let hi) = s.test { [.atLeast(lo), .atMost(hi)] } else { [s.test] }
        return tests.map { t in
            var (op, text, datatype, varRef) = comparison(t)
            if s.boolean { datatype = "boolean" }
            let check = s.entityCheck.map { " entity_check=\"\($0)\"" } ?? ""
            let field = "<field name=\"#\"\(datatype == "string" ? "" : " datatype=\"\(datatype)\"") operation=\"\(op)\"\(check)"
                + (varRef.map { " var_ref=\"\($0)\" var_check=\"all\"/>" } ?? ">\(xmlEscape(text))</field>")
            return oval.state("ind:yamlfilecontent_state", "<ind:value datatype=\"record\">\(field)</ind:value>")
        }
    }
}
