import VigilContent
import VigilCore

/// The four XCCDF 1.2 scoring models.
public enum Scoring {
    static let uncounted: Set<XCCDFResult> = [.notapplicable, .notchecked, .informational, .notselected]

    public static func all(benchmark b: XCCDFBenchmark, results: [RuleResult]) -> [Score] {
        let byID = Dictionary(results.map { ($0.ruleID, $0) }, uniquingKeysWith: { a, _ in a })
        let counted = results.filter { !uncounted.contains($0.result) }
        let passed = counted.filter { $0.result == .pass || $0.result == .fixed }
        let flatMax = counted.reduce(0) { $0 + $1.weight }
        let flat = passed.reduce(0) { $0 + $1.weight }
        return [
            Score(system: "urn:xccdf:scoring:default", value: defaultScore(b, byID), maximum: 100),
            Score(system: "urn:xccdf:scoring:flat", value: flat, maximum: flatMax),
            Score(system: "urn:xccdf:scoring:flat-unweighted", value: Double(passed.count), maximum: Double(counted.count)),
            Score(system: "urn:xccdf:scoring:absolute", value: (flat == flatMax && flatMax > 0) ? 1 : 0, maximum: 1),
        ]
    }

    /// The default model: a weighted mean of child scores, recursively through groups.
    static func defaultScore(_ b: XCCDFBenchmark, _ byID: [String: RuleResult]) -> Double {
        func score(_ id: String) -> (score: Double, weight: Double)? {
            if let r = byID[id] {
                guard !uncounted.contains(r.result) else { return nil }
                return (r.result == .pass || r.result == .fixed ? 100 : 0, r.weight)
            }
            guard let g = b.groups[id], let s = mean(g.children) else { return nil }
            return (s, g.weight)
        }
        func mean(_ ids: [String]) -> Double? {
            var sum = 0.0, weights = 0.0, n = 0
            for id in ids {
                guard let s = score(id) else { continue }
                n += 1
                sum += s.score * s.weight
                weights += s.weight
            }
            guard n > 0 else { return nil }
            return weights == 0 ? 0 : sum / weights
        }
        return mean(b.topItems) ?? 0
    }
}
