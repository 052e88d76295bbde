import VigilContent
import VigilCore
import VigilProbes

/// The words for a scan that evaluates nothing: the warning, before the scan, that the
/// content is for another platform, and the explanation, after it, of why no rule was
/// evaluated (see `Gate.isEmpty`), each naming the way out.
enum EmptyScan {
    /// A warning when the benchmark names platforms and none of them applies to `target`
    /// (RHEL content on Debian, OpenShift content on a host that is not an OpenShift
    /// node): every rule will be `notapplicable`. Nil when the content is for this system
    /// or names no platform.
    static func platformWarning(_ benchmark: XCCDFBenchmark, applicability: Applicability, target: any Target) -> String? {
        guard !benchmark.platforms.isEmpty, !applicability.appliesAny(benchmark.platforms) else { return nil }
        let platforms = benchmark.platforms.map { $0.hasPrefix("#") ? String($0.dropFirst()) : $0 }
        let system = DefaultContent.operatingSystem(target).map { "the scanned system (\($0.name))" } ?? "the scanned system"
        let shown = platforms.prefix(3).joined(separator: ", ")
        let named = platforms.count <= 3 ? shown : "\(shown) and \(platforms.count - 3) other platforms"
        return "the content is for \(named); \(system) is not \(platforms.count == 1 ? "that platform" : "any of them"): "
            + "its rules will be notapplicable"
    }

    /// Why no rule of `result` was evaluated: none was selected (a benchmark whose default
    /// selection is empty, without `--profile`; a profile that selects nothing), or every
    /// selected rule was not applicable or not checked.
    static func explanation(_ result: ScanResult, benchmark: XCCDFBenchmark, platformWarning: String?) -> String {
        let selected = result.ruleResults.filter { $0.result != .notselected }
        guard !selected.isEmpty else {
            if let profile = result.profileID {
                return "no rule was evaluated: profile \(profile) selects no rule"
            }
            let profiles = benchmark.profiles.isEmpty
                ? "--profile all evaluates every rule"
                : "choose one of its \(benchmark.profiles.count) profiles with --profile (vigil info lists them), or --profile all"
            return "no rule was evaluated: \(benchmark.id) selects no rule by default and no --profile was given; \(profiles)"
        }
        let notApplicable = selected.filter { $0.result == .notapplicable }.count
        let notChecked = selected.count - notApplicable
        var text = "no rule was evaluated: "
        if notApplicable == 0 || notChecked == 0 {
            let what = notChecked == 0 ? "notapplicable" : "notchecked (no check Vigil can run)"
            text += selected.count == 1 ? "the selected rule is \(what)" : "all \(selected.count) selected rules are \(what)"
        } else {
            text += "of the \(selected.count) selected rules, \(notApplicable) are notapplicable and \(notChecked) notchecked (no check Vigil can run)"
        }
        text += " on \(result.target)"
        if platformWarning != nil { text += " (the content is for another platform)" }
        return text
    }
}
