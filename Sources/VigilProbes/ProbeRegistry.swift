/// Every probe Vigil has, in one list.
public enum ProbeRegistry {
    public static var all: [any Probe] {
        [
            FamilyProbe(), UnameProbe(), DpkgInfoProbe(), SysctlProbe(), PartitionProbe(),
            EnvironmentVariableProbe(), PasswordProbe(), ShadowProbe(),
        ]
    }
}
