import VigilXML

/// The configuration file a running kubelet (`--config`) or etcd (`--config-file`) names,
/// read through the process's own root (`/proc/PID/root`), so that a component in a
/// container or a chroot is judged by the file it really reads, not by a host file of the
/// same name. Precedence as each component has it: the kubelet's flag over its file; etcd
/// given a file ignores its flags.
extension RuleCheckOVAL {
    /// The running process's verdict: `flags` is its command-line test (for the kubelet one
    /// that passes an absent flag, for etcd one that judges it by the default).
    mutating func processWithConfig(_ c: FlagCheck, _ component: KubernetesComponent, _ setting: ComponentConfigSetting,
                                    process obj: String, flags: Criteria, _ title: String) -> Criteria {
        let option = component == .etcd ? "config-file" : "config"
        let argument = "\\s--\(RuleCheckOVAL.re(option))(?:=|\\s+)(/\\S+)"
        let names = Criteria.test(commandLineTest(obj, argument, title + " (the process names a --\(option) file)"))
        let path = oval.localVariable(datatype: "string", comment: "the running \(component.rawValue)'s --\(option) file, under its root", """
            <concat><literal_component>/proc/</literal_component><object_component item_field="pid" object_ref="\(obj)"/>\
            <literal_component>/root</literal_component><regex_capture pattern="\(xmlEscape(argument))">\
            <object_component item_field="command_line" object_ref="\(obj)"/></regex_capture></concat>
            """)
        let file = "<ind:filepath operation=\"equals\" var_ref=\"\(path)\"/>"
        let decides = configDecides(file, setting, missingPasses: c.missingPasses, title + " (the process's --\(option) file)")
        if component == .etcd {
            return .or([.and([names, decides ?? always(names)]), .and([.not(names), flags])])
        }
        let set = Criteria.test(commandLineTest(obj, "\\s--\(RuleCheckOVAL.re(c.name))(?:[=\\s]|$)", title + " (on the command line)"))
        return .and([flags, .or([set, .not(names)] + (decides.map { [$0] } ?? []))])
    }

    /// Some running process of `obj` has a command line matching `pattern`.
    func commandLineTest(_ obj: String, _ pattern: String, _ comment: String) -> String {
        let ste = oval.state("unix:process58_state", "<unix:command_line operation=\"pattern match\">\(xmlEscape(pattern))</unix:command_line>")
        return oval.test("unix:process58_test", comment: comment, object: obj, states: [ste], check: "at least one")
    }
}
