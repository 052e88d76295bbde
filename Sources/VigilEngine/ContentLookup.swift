import VigilContent
import VigilProbes

/// What the read-only commands (`rules`, `explain`, `fix`) ask of content, answered as
/// `vigil scan` answers it: the same default content, the same profile and rule names
/// (full or short ids), the same errors (`ScanSessionError`, with "did you mean").
public enum ContentLookup {
    /// The content at `path` (with a tailoring file's profiles); without a path, the
    /// content `vigil scan` chooses for this host, and the profile it would use. The rules'
    /// texts are kept (`explain` and `fix` read them).
    public static func load(_ path: String?, tailoring: String? = nil) throws -> (content: SCAPContent, defaultProfile: String?) {
        var chosen = path
        var profile: String?
        if path == nil {
            guard let found = DefaultContent.choose(target: Targets.host, baseline: DefaultContent.baselineFolder()) else {
                throw ScanSessionError.noDefaultContent
            }
            chosen = found.path
            profile = found.profile
        }
        do { return (try SCAPContent.load(path: chosen ?? "", tailoring: tailoring, ruleTexts: true), profile) } catch {
            throw ScanSessionError.content("\(error)")
        }
    }

    /// The policy of `profile` (id, short name, "all", or nil for the benchmark's own
    /// selection); an unknown name suggests the nearest profiles.
    public static func policy(_ content: SCAPContent, profile: String?) throws -> Policy {
        try ScanSession.policy(content.benchmark, profile: profile, contentPath: content.path)
    }

    /// The full id of the rule `name` names (full or short id); an unknown name suggests
    /// the nearest rules.
    public static func ruleID(_ name: String, in content: SCAPContent) throws -> String {
        try ScanSession.ruleIDs([name], in: content.benchmark, contentPath: content.path)[0]
    }

    /// The profile's title as people read it: the profile's own, "(all rules)", or
    /// "(the benchmark's default selection)".
    public static func profileLabel(_ policy: Policy, in benchmark: XCCDFBenchmark) -> String {
        guard let id = policy.profileID else { return "(the benchmark's default selection)" }
        if id == XCCDFNames.allRulesProfile { return "(all rules)" }
        let title = benchmark.profiles.first { $0.id == id }?.title ?? ""
        return title.isEmpty ? id : "\(id) (\(title))"
    }
}
