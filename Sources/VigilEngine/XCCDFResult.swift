// The shared vocabulary (results, scan data, severities, the version) is VigilCore's;
// users of the engine see it through this module.
@_exported import VigilCore
import VigilOVAL

extension XCCDFResult {
    /// The XCCDF result for an OVAL definition result (XCCDF 1.2 specification, table 26):
    /// for vulnerability and patch definitions, true means the system fails.
    public init(oval: OVALResult, definitionClass: String) {
        let inverted = definitionClass == "vulnerability" || definitionClass == "patch"
        switch oval {
        case .true: self = inverted ? .fail : .pass
        case .false: self = inverted ? .pass : .fail
        case .error: self = .error
        case .unknown: self = .unknown
        case .notEvaluated: self = .notchecked
        case .notApplicable: self = .notapplicable
        }
    }
}
