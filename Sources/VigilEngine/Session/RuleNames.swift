import VigilContent

extension ScanSession {
    /// The rules `--rule` and `--skip-rule` leave to evaluate, as `Scanner`'s `onlyRules`:
    /// nil when neither is given (the policy decides); the `--rule` rules, else the
    /// policy's selection, less the skipped ones. Skipping a rule leaves the policy's
    /// `requires`/`conflicts` as they were, as `oscap xccdf eval --skip-rule` does.
    static func evaluatedRules(_ options: ScanOptions, _ benchmark: XCCDFBenchmark, policy: Policy,
                               contentPath: String) throws -> Set<String>? {
        let only = try ruleIDs(options.rules, in: benchmark, contentPath: contentPath)
        let skipped = Set(try ruleIDs(options.skipRules, in: benchmark, contentPath: contentPath))
        if only.isEmpty && skipped.isEmpty { return nil }
        if let both = only.first(where: skipped.contains) {
            throw ScanSessionError.policy("rule \(both) is named by both --rule and --skip-rule")
        }
        return (only.isEmpty ? policy.selected : Set(only)).subtracting(skipped)
    }

    /// The full ids of rules named by full or short id; an unknown name (with the nearest
    /// ones) or an ambiguous short id is an error.
    static func ruleIDs(_ names: [String], in benchmark: XCCDFBenchmark, contentPath: String) throws -> [String] {
        try names.map { name in
            switch benchmark.rule(named: name) {
            case .found(let id): return id
            case .ambiguous(let ids): throw ScanSessionError.ambiguousRule(name, candidates: ids)
            case .unknown: throw ScanSessionError.unknownRule(name, content: contentPath, known: benchmark.ruleOrder)
            }
        }
    }
}
