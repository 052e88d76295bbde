import VigilCore

/// How the store writes a rule result's `RuleCheckSystem`: a small number in the
/// `results.check_system` column (migration `v8-check-system`). Codes are never reused.
enum StoredCheckSystem {
    static let codes: [RuleCheckSystem: Int64] = [.oval: 0, .native: 1, .other: 2]

    static func code(_ system: RuleCheckSystem) -> Int64 { codes[system]! }

    /// The check system stored as `code`; nil for a code this Vigil does not know.
    static func system(code: Int64) -> RuleCheckSystem? { codes.first { $0.value == code }?.key }
}
