import VigilCrypto
import VigilXML

/// An XCCDF 1.2 benchmark: its profiles, values, groups and rules.
public struct XCCDFBenchmark: Sendable {
    public var id: String
    public var version: String
    public var title: String
    public var status: String
    /// Platform idrefs that apply to the whole benchmark.
    public var platforms: [String]
    public var profiles: [XCCDFProfile]
    public var values: [String: XCCDFValue]
    public var rules: [String: XCCDFRule]
    public var groups: [String: XCCDFGroup]
    /// Rule ids in document order.
    public var ruleOrder: [String]
    /// Ids of the rules and groups directly under the benchmark, in order.
    public var topItems: [String]
    /// The benchmark's CPE applicability-language platforms (`#id` platform references).
    public var platformSpecification: [String: CPEPlatform]

    /// A profile by full id or by its short name (`standard` for `..._profile_standard`).
    public func profile(named name: String) -> ProfileLookup {
        if let p = profiles.first(where: { $0.id == name }) { return .found(p) }
        let matches = profiles.filter { $0.id.hasSuffix("_profile_" + name) }
        if matches.count == 1 { return .found(matches[0]) }
        return matches.isEmpty ? .unknown : .ambiguous(matches.map(\.id))
    }
}

/// The answer to a profile lookup by name.
public enum ProfileLookup: Sendable {
    case found(XCCDFProfile)
    case ambiguous([String])
    case unknown
}

/// An XCCDF Group: selection and platforms its rules inherit.
public struct XCCDFGroup: Sendable {
    public var id: String
    public var title: String
    public var selected: Bool
    public var platforms: [String]
    public var parent: String?
    public var weight: Double
    /// Ids of the rules and groups directly inside, in order.
    public var children: [String]
}

/// An XCCDF Rule.
public struct XCCDFRule: Sendable {
    public var id: String
    public var title: String
    public var severity: String
    public var weight: Double
    public var role: String
    public var selected: Bool
    public var platforms: [String]
    /// The enclosing group, if any (selection and platforms are inherited from it).
    public var parent: String?
    public var checks: [XCCDFCheck]
    /// `<requires idref="a b">`: each entry needs one of its ids selected.
    public var requires: [[String]]
    /// `<conflicts idref=>`: the rule is not selected when one of these is.
    public var conflicts: [String]
    public var complexCheck: XCCDFComplexCheck?
    public var idents: [(system: String, value: String)]
    public var references: [(href: String, value: String)]
    public var description: String
    public var rationale: String
    public var fixText: String
    public var location: String
    /// The rule's fix script, shell preferred, for rules with no `<fixtext>`.
    public var fix: XCCDFFix? = nil
}

/// An XCCDF `<fix>`: a script whose `<sub idref=>` elements stand for the values the
/// profile chooses.
public struct XCCDFFix: Sendable {
    /// A run of script text, or the value named by a `<sub idref=>`.
    public enum Part: Sendable {
        case text(String)
        case value(String)
    }
    /// The fix system, e.g. `urn:xccdf:fix:script:sh`.
    public var system: String
    public var parts: [Part]

    /// The script with each `<sub>` replaced by its value (unknown values stay `(idref)`).
    public func text(values: [String: String]) -> String {
        parts.map { part -> String in
            switch part {
            case .text(let t): return t
            case .value(let id): return values[id] ?? "(\(id))"
            }
        }.joined().trimmingWhiteSpaceAndNewlines
    }
}

extension String {
    /// The string without white space and line breaks at its ends, as Foundation's
    /// `trimmingCharacters(in: .whitespacesAndNewlines)` trims (U+0009 to U+000D, U+0085
    /// and the Unicode separators), looking only at the ends: Foundation's version was
    /// most of the time a scan spent on the fix scripts of its record.
    var trimmingWhiteSpaceAndNewlines: String {
        func trimmed(_ s: Unicode.Scalar) -> Bool {
            switch s.value {
            case 0x09...0x0D, 0x20, 0x85: return true
            case 0..<0x80: return false
            default:
                switch s.properties.generalCategory {
                case .spaceSeparator, .lineSeparator, .paragraphSeparator: return true
                default: return false
                }
            }
        }
        let scalars = unicodeScalars
        var start = scalars.startIndex
        var end = scalars.endIndex
        while start < end, trimmed(scalars[start]) { start = scalars.index(after: start) }
        while end > start, trimmed(scalars[scalars.index(before: end)]) { end = scalars.index(before: end) }
        return String(scalars[start..<end])
    }
}

/// An XCCDF `<check>`.
public struct XCCDFCheck: Sendable {
    public var system: String
    public var selector: String
    public var negate: Bool
    public var multiCheck: Bool
    public var contentRefs: [(href: String, name: String?)]
    /// `<check-export value-id= export-name=>` pairs.
    public var exports: [(valueID: String, exportName: String)]
    /// Inline `<check-content>` present (no reference).
    public var hasInlineContent: Bool
    /// In Vigil's native check system: the check its `<check-content>` describes, or nil
    /// with `nativeProblem` saying what is wrong with it (the rule is then `error`).
    public var native: NativeCheckSpec? = nil
    /// Why a check in Vigil's native check system could not be read.
    public var nativeProblem: String? = nil
}

/// An XCCDF `<complex-check>`: checks combined with AND or OR.
public indirect enum XCCDFComplexCheck: Sendable {
    case check(XCCDFCheck)
    case complex(operator: String, negate: Bool, children: [XCCDFComplexCheck])
}

/// An XCCDF Value with its selectable alternatives.
public struct XCCDFValue: Sendable {
    public var id: String
    public var type: String
    public var `operator`: String
    /// Values by selector; the default has selector "".
    public var values: [String: String]
}

/// An XCCDF Profile (or one from a tailoring file).
public struct XCCDFProfile: Sendable {
    public var id: String
    public var title: String
    public var description: String
    public var extends: String?
    public var selections: [(idref: String, selected: Bool)]
    public var refineValues: [(idref: String, selector: String)]
    public var setValues: [(idref: String, value: String)]
    public var refineRules: [(idref: String, severity: String?, weight: Double?, role: String?, selector: String?)]
    /// Whether it came from a tailoring file.
    public var fromTailoring: Bool
}
