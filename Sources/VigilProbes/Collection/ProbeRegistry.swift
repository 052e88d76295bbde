/// Every probe Vigil has, in one list.
public enum ProbeRegistry {
    public static var all: [any Probe] {
        [
            // independent
            FamilyProbe(), EnvironmentVariableProbe(), TextFileContent54Probe(), TextFileContentProbe(),
            FileHashProbe(), XMLFileContentProbe(), YAMLFileContentProbe(),
            // unix
            UnameProbe(), FileProbe(), SymlinkProbe(), SysctlProbe(), PasswordProbe(), ShadowProbe(),
            Process58Probe(), InterfaceProbe(),
            // linux
            DpkgInfoProbe(), RPMInfoProbe(), RPMVerifyProbe(), PartitionProbe(), SELinuxSecurityContextProbe(),
            // OpenSCAP answers systemd objects on an offline root with "not collected";
            // so does Vigil, to give the same verdicts (see SystemdUnitPropertyProbe).
            SystemdUnitPropertyProbe(offlineUnitFiles: false), SystemdUnitDependencyProbe(offlineUnitFiles: false),
        ]
    }
}
