import ArgumentParser
import Foundation
import VigilContent
import VigilEngine

/// `vigil info CONTENT`: what the content holds.
struct Info: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show the benchmark, profiles and version of SCAP content.")

    @Argument(help: "A SCAP source data stream, an XCCDF 1.2 benchmark, or a folder of Vigil YAML rules.")
    var content: String

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
