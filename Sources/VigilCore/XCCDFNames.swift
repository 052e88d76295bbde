/// Fixed names of XCCDF that the engine and the result writers share.
public enum XCCDFNames {
    /// The check system of OVAL definitions.
    public static let ovalCheckSystem = "http://oval.mitre.org/XMLSchema/oval-definitions-5"
    /// The profile id of a scan that selected every rule (`--profile all`).
    public static let allRulesProfile = "(all)"
}
