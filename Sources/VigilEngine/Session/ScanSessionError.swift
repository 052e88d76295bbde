import VigilContent

/// Why a scan could not run. Each case is one thing the user can put right; the command
/// line turns it into a message and exit code 1 in one place. Everything found wrong
/// before the scan comes back at once: one case, or `several` of them.
public enum ScanSessionError: Error, CustomStringConvertible, Equatable {
    /// `--root` is not a directory that can be scanned.
    case target(String)
    /// `--image` cannot be opened or read (the message names the image, layer and entry),
    /// or is combined with options it excludes.
    case image(String)
    /// No content was named and none is installed for this system.
    case noDefaultContent
    /// The content or tailoring file cannot be loaded.
    case content(String)
    /// The profile is not in the benchmark; `known` lists the benchmark's profiles.
    case unknownProfile(String, content: String, known: [String])
    /// A short profile name matches several profiles.
    case ambiguousProfile(String, candidates: [String])
    /// `--rule` or `--skip-rule` names a rule the benchmark does not have; `known` lists
    /// the benchmark's rules (the nearest are suggested).
    case unknownRule(String, content: String, known: [String])
    /// A short rule id matches several rules.
    case ambiguousRule(String, candidates: [String])
    /// `--jobs` is below 1.
    case jobs(Int)
    /// The profile cannot be resolved (a cycle of `extends`, a bad refinement, ...).
    case policy(String)
    /// The scan database cannot be opened or used.
    case store(String)
    /// The content changed or vanished while the scan ran (its digest cannot be taken).
    case contentReread(path: String, reason: String)
    /// A `--report` or `--results` request that cannot be written: an unknown format, a
    /// folder that does not exist or cannot be written, two reports to one place.
    case report(String)
    /// `--fail-on` names no severity.
    case failOn(String)
    /// The waiver file cannot be read or is malformed (the message names file and line).
    case waivers(String)
    /// More than one of the above, in the order found.
    case several([ScanSessionError])

    /// One error for `errors` (at least one): itself, or `several`.
    static func combined(_ errors: [ScanSessionError]) -> ScanSessionError {
        errors.count == 1 ? errors[0] : .several(errors)
    }

    /// Each problem as one line (`several` gives one per problem).
    public var messages: [String] {
        if case .several(let errors) = self { return errors.flatMap(\.messages) }
        return [description]
    }

    public var description: String {
        switch self {
        case .target(let message): return "--root \(message)"
        case .noDefaultContent:
            return "no content given, and neither the SCAP Security Guide for this OS nor Vigil's rules/linux-baseline was found; "
                + "name the content to scan (or set VIGIL_BASELINE)"
        case .content(let message), .policy(let message), .store(let message), .image(let message): return message
        case .unknownProfile(let name, let content, let known):
            return "unknown profile '\(name)'\(ItemNames.didYouMean(ItemNames.nearest(name, among: known, kind: "profile"), kind: "profile")); "
                + "profiles in \(content): \(known.joined(separator: ", "))"
        case .ambiguousProfile(let name, let candidates):
            return "profile '\(name)' is ambiguous: \(candidates.joined(separator: ", "))"
        case .unknownRule(let rule, let content, let known):
            return "no rule '\(rule)' in \(content)\(ItemNames.didYouMean(ItemNames.nearest(rule, among: known)))"
        case .ambiguousRule(let rule, let candidates):
            return "rule '\(rule)' is ambiguous: \(candidates.joined(separator: ", "))"
        case .jobs: return "--jobs must be at least 1"
        case .contentReread(let path, let reason): return "cannot read \(path) again: \(reason)"
        case .report(let message), .waivers(let message): return message
        case .failOn(let value): return "--fail-on '\(value)' is not a severity (info, low, medium, high)"
        case .several(let errors): return errors.map(\.description).joined(separator: "; ")
        }
    }
}
