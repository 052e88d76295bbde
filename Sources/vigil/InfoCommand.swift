import ArgumentParser
import Foundation
import VigilContent
import VigilEngine

/// `vigil info CONTENT`: what the content holds.
struct Info: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show the benchmark, profiles and version of SCAP content.")

    @Argument(help: "A SCAP source data stream, an XCCDF 1.2 benchmark, or a folder of Vigil YAML rules.")
    var content: String

    @Flag(name: .shortAndLong, help: "List the rules by check system (SCAP-pure OVAL, Vigil-native with or without an OVAL fallback).")
    var verbose = false

    func run() throws {
        let c: SCAPContent
        do { c = try SCAPContent.load(path: content) } catch { throw CommandError("\(error)") }
        let b = c.benchmark
        // Titles and ids come from the content: shown as TerminalText does.
        func print(_ line: String) { Swift.print(TerminalText.visible(line)) }
        switch c.kind {
        case .dataStream(let id, let v): print("Document type: source data stream (SCAP \(v)), \(id)")
        case .benchmark: print("Document type: XCCDF 1.2 benchmark")
        }
        print("Benchmark: \(b.id)")
        print("Title: \(b.title)")
        print("Version: \(b.version)")
        print("Rules: \(b.rules.count)")
        let rules = b.ruleOrder.compactMap { b.rules[$0] }
        let native = rules.filter { $0.checkSystem == .native }, withFallback = native.filter(\.hasOVALFallback)
        let pure = rules.filter { $0.checkSystem == .oval }, other = rules.filter { $0.checkSystem == .other }
        print("  SCAP-pure (standard OVAL checks): \(pure.count)")
        print("  Vigil-native: \(native.count) (\(withFallback.count) with an OVAL fallback, \(native.count - withFallback.count) without)")
        if !other.isEmpty { print("  Other check systems or no check: \(other.count)") }
        if verbose {
            for (label, list) in [("SCAP-pure", pure), ("Vigil-native with OVAL fallback", withFallback),
                                  ("Vigil-native without fallback", native.filter { !$0.hasOVALFallback }), ("Other", other)] where !list.isEmpty {
                print("\(label):")
                for r in list { print("  \(r.id)") }
            }
        }
        print("Profiles:")
        for p in b.profiles {
            let n = (try? Policy(benchmark: b, profile: p).selected.count) ?? 0
            print("  \(p.id)")
            print("    \(p.title) (\(n) rules)")
        }
        let defaults = (try? Policy(benchmark: b, profile: nil).selected.count) ?? 0
        print("Default selection: \(defaults) rules")
    }
}
