import FuzzSupport
import VigilContent

/// Fuzzes the YAML rule compiler: a rule folder with one rule file (`fuzz/rule.yaml`, the input
/// up to its first NUL byte) and `benchmark.yaml` (the input after that NUL, or a fixed one with
/// values when there is none), compiled to a source data stream as `vigil scan <folder>` does.
/// A data stream the compiler returns must load again: a failure there is a compiler bug.
/// (Raw OVAL the loader refuses is reported by the compiler at the rule's file and line since
/// Tests/Fuzz/findings/rules-raw-oval-bad-enumeration.yaml.)
enum Harness {
    static func run(_ bytes: [UInt8]) {
        let (rule, benchmark) = FuzzInput.split(bytes[...], at: 0)
        FuzzScratch.write(benchmark ?? ArraySlice(defaultBenchmark.utf8), to: "rules/benchmark.yaml")
        FuzzScratch.write(rule, to: "rules/fuzz/rule.yaml")
        let folder = FuzzScratch.path("rules")
        guard let compiled = try? SCAPContent.compile(folder: folder) else { return }
        do {
            _ = try SCAPContent.loadCompiled(compiled, label: folder)
        } catch {
            FuzzInput.check(false, "the data stream compiled from the rule folder does not load: \(error)")
        }
    }

    static func describe(_ bytes: [UInt8]) -> String {
        let (rule, benchmark) = FuzzInput.split(bytes[...], at: 0)
        return "rule file \(rule.count) bytes, " + (benchmark.map { "benchmark.yaml \($0.count) bytes" } ?? "default benchmark.yaml")
    }

    /// The benchmark of inputs that bring none: the values `rules/linux-baseline` rules use.
    static let defaultBenchmark = """
    id: fuzz
    namespace: io.vigil
    title: Fuzz
    version: 1.0.0
    values:
      sshd_max_auth_tries: {title: Tries, type: number, default: "4", options: {strict: "3"}}
      password_min_length: {type: number, default: "15"}
      sshd_idle_timeout: {type: number, default: "600"}
      password_max_days: {type: number, default: "60"}
      password_min_days: {type: number, default: "1"}
      banner_text: {type: string, default: "Authorized uses only"}
      enabled: {type: boolean, default: "true"}
    profiles:
      all:
        title: All
        values: {sshd_max_auth_tries: strict}

    """
}
