/// etcd's flags where a configuration file holds them: rke2's manifest names the file with
/// `--config-file` (then the file decides and flags are ignored, as etcd does); k3s writes
/// its embedded etcd's file itself (`KubernetesLayout.k3sEtcdConfig`).
extension RuleCheckOVAL {
    mutating func etcdManifestSource(_ c: FlagCheck, _ manifest: String, _ title: String) -> FlagSource {
        let configFile = textObject([FileSelection(path: manifest, namePattern: nil)],
                                    pattern: RuleCheckOVAL.flagPattern("config-file", boolean: false))
        let named = Criteria.test(oval.test("ind:textfilecontent54_test", comment: "\(manifest) names a --config-file", object: configFile))
        let flags = Criteria.and([.not(named), manifestFlag(c, manifest, title)])
        guard let setting = c.config else { return FlagSource(exists: anyExists([manifest], "\(manifest) exists"), passes: flags) }
        let variable = oval.localVariable(datatype: "string", comment: "etcd's --config-file",
                                          "<object_component item_field=\"subexpression\" object_ref=\"\(configFile)\"/>")
        let file = "<ind:filepath operation=\"equals\" var_ref=\"\(variable)\"/>"
        let fromFile = configDecides(file, setting, missingPasses: c.missingPasses, title + " (--config-file)") ?? named
        return FlagSource(exists: anyExists([manifest], "\(manifest) exists"), passes: .or([.and([named, fromFile]), flags]))
    }

    mutating func k3sEtcdSource(_ c: FlagCheck, _ title: String) -> FlagSource {
        let path = KubernetesLayout.k3sEtcdConfig
        let exists = anyExists([path], "\(path) exists")
        guard let setting = c.config else { return FlagSource(exists: exists, passes: never(exists)) }
        let file = fileEntities(FileSelection(path: path, namePattern: nil), prefix: "ind")
        return FlagSource(exists: exists, passes: configDecides(file, setting, missingPasses: c.missingPasses, title) ?? exists)
    }
}
