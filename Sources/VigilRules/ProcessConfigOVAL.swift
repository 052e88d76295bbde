import VigilXML

/// The configuration file a running kubelet names with `--config`, read through the
/// process's own root (`/proc/PID/root`), so that a kubelet in a container or a chroot is
/// judged by the file it really reads, not by a host file of the same name.
extension RuleCheckOVAL {
    /// When the process `obj` runs with `--config` and without the flag itself on its
    /// command line, the setting in that file decides (absent: the default); otherwise true.
    mutating func processConfig(_ c: FlagCheck, _ setting: ComponentConfigSetting, process obj: String,
                                _ title: String) -> Criteria {
        let flagSet = oval.state("unix:process58_state", "<unix:command_line operation=\"pattern match\">"
                                 + xmlEscape("\\s--\(RuleCheckOVAL.re(c.name))(?:[=\\s]|$)") + "</unix:command_line>")
        let configSet = oval.state("unix:process58_state", "<unix:command_line operation=\"pattern match\">"
                                   + xmlEscape(Self.configArgument) + "</unix:command_line>")
        let setOnCommandLine = oval.test("unix:process58_test", comment: title + " (on the command line)", object: obj,
                                         states: [flagSet], check: "at least one")
        let namesConfig = oval.test("unix:process58_test", comment: title + " (the process names a --config file)",
                                    object: obj, states: [configSet], check: "at least one")
        let path = oval.localVariable(datatype: "string", comment: "the running kubelet's --config file, under its root", """
            <concat><literal_component>/proc/</literal_component><object_component item_field="pid" object_ref="\(obj)"/>\
            <literal_component>/root</literal_component><regex_capture pattern="\(xmlEscape(Self.configArgument))">\
            <object_component item_field="command_line" object_ref="\(obj)"/></regex_capture></concat>
            """)
        let file = "<ind:filepath operation=\"equals\" var_ref=\"\(path)\"/>"
        let decides = configDecides(file, setting, missingPasses: c.missingPasses, title + " (the process's --config file)")
        guard let decides else { return .or([.test(setOnCommandLine), .not(.test(namesConfig))]) }
        return .or([.test(setOnCommandLine), .not(.test(namesConfig)), decides])
    }

    /// `--config=PATH` or `--config PATH` on a command line; the capture is the path.
    static let configArgument = "\\s--config(?:=|\\s+)(/\\S+)"
}
