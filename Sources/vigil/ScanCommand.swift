import ArgumentParser
import Foundation
import VigilContent
import VigilEngine
import VigilProbes
import VigilStore

/// `vigil scan`: evaluate content against this machine or an offline root.
struct Scan: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Evaluate SCAP content against this machine or a root file system.")

    @Argument(help: "A SCAP source data stream or XCCDF 1.2 benchmark.")
    var content: String

    @Option(help: "Profile id or short name; 'all' evaluates every rule. Default: the benchmark's own selection.")
    var profile: String?

    @Option(name: .customLong("rule"), help: "Evaluate only this rule (repeatable).")
    var rules: [String] = []

    @Option(help: "An XCCDF 1.2 tailoring file.")
    var tailoring: String?

    @Option(help: "Scan the file system under DIR (a mounted image) instead of the live host.")
    var root: String?

    @Option(help: "Write XCCDF 1.2 results (the benchmark with a TestResult) to this file.")
    var results: String?

    @Option(help: "Rules evaluated at once (default: number of cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "No progress and no summary.")
    var quiet = false

    @OptionGroup var store: StoreOptions

    @Flag(help: "Do not store the scan.")
    var noStore = false

    func run() throws {
        let loaded: SCAPContent
        do { loaded = try SCAPContent.load(path: content, tailoring: tailoring) } catch { fail("\(error)") }
        let b = loaded.benchmark
        var profileObj: XCCDFProfile?
        var selectAll = false
        if let name = profile {
            if name == "all" || name == Policy.all {
                selectAll = true
            } else {
                switch b.profile(named: name) {
                case .found(let p): profileObj = p
                case .ambiguous(let ids): fail("profile '\(name)' is ambiguous: \(ids.joined(separator: ", "))")
                case .unknown:
                    fail("unknown profile '\(name)'; profiles in \(content): \(b.profiles.map(\.id).joined(separator: ", "))")
                }
            }
        }
        for r in rules where b.rules[r] == nil { fail("no rule '\(r)' in \(content)") }
        guard jobs >= 1 else { fail("--jobs must be at least 1") }
        let target: Target
        if let root {
            do { target = try Target(root: root) } catch { fail("--root \(error)") }
        } else {
            target = .host
        }
        let policy: Policy
        do { policy = try Policy(benchmark: b, profile: profileObj, selectAll: selectAll) } catch { fail("\(error)") }
        // Open the database first: a bad one fails the command before the scan runs.
        let db = noStore ? nil : store.open()
        let scanner = Scanner(content: loaded, policy: policy, target: target, jobs: jobs,
                              onlyRules: rules.isEmpty ? nil : Set(rules))
        let progress = (!quiet && isatty(STDERR_FILENO) == 1) ? ProgressLine() : nil
        var callback: (@Sendable (Int, Int, String) -> Void)?
        if let progress {
            callback = { done, total, id in progress.update(done, total, id) }
        }
        let result = scanner.run(progress: callback)
        progress?.finish()
        if let results {
            do {
                let bytes = try ResultsWriter.xml(content: loaded, result: result, hostname: hostName())
                try Data(bytes).write(to: URL(fileURLWithPath: results))
            } catch { fail("cannot write results to \(results): \(error)") }
        }
        if !quiet { print(Summary.text(result, benchmark: b)) }
        if let db {
            do {
                let record = result.record(content: loaded, host: HostIdentity.of(target),
                                           contentSHA256: try HostFileDigest.sha256(content),
                                           vigilVersion: Vigil.configuration.version)
                let id = try db.save(record)
                if !quiet { print("Stored as scan \(id) in \(db.path)") }
            } catch { fail("the scan was not stored: \(error)") }
        }
        throw ExitCode(result.exitCode)
    }
}

func hostName() -> String {
    var buf = [CChar](repeating: 0, count: 256)
    gethostname(&buf, 255)
    let bytes = buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
    return String(decoding: bytes, as: UTF8.self)
}
