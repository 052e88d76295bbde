import Foundation
import VigilContent
import VigilProbes
import VigilReports
import VigilStore

/// One scan, driven from start to end: the one place a scan is run from. It checks what
/// can be checked before any work (target, content, profile, rules, jobs, database),
/// loads the content, resolves the policy, evaluates the rules, stores the scan, writes
/// the reports and decides the gate. It never prints and never exits: it reports what
/// happens as `ScanEvent`s, throws `ScanSessionError` when the scan cannot run, and
/// returns a `ScanOutcome`.
public struct ScanSession: Sendable {
    public let options: ScanOptions

    public init(_ options: ScanOptions) {
        self.options = options
    }

    /// Whether a report goes to standard output; the caller then keeps its own notes off it.
    public var writesToStandardOutput: Bool {
        options.reports.contains { (try? ReportRequest(parsing: $0))?.path == "-" }
    }

    /// Runs the whole scan. `events` is called on the calling thread, except `.progress`,
    /// which comes from the threads evaluating rules.
    public func run(events: @escaping @Sendable (ScanEvent) -> Void = { _ in }) throws -> ScanOutcome {
        let prepared = try prepare(events: events)
        let result = prepared.scanner.run { done, total, rule in events(.progress(done: done, total: total, rule: rule)) }
        events(.scanned(result, benchmark: prepared.content.benchmark))
        return try finish(prepared, result: result, events: events)
    }

    // MARK: Before the scan

    /// Everything a scan needs, checked and loaded.
    struct Prepared {
        let target: any Target
        let contentPath: String
        let content: SCAPContent
        let scanner: Scanner
        let store: ScanStore?
    }

    /// Checks the options and loads what the scan needs; throws before any rule runs.
    func prepare(events: (ScanEvent) -> Void) throws -> Prepared {
        let target: any Target
        if let root = options.root {
            do { target = try Targets.root(root) } catch { throw ScanSessionError.target("\(error)") }
        } else {
            target = Targets.host
        }
        var contentPath = options.content ?? ""
        var profile = options.profile
        if options.content == nil {
            guard let chosen = DefaultContent.choose(target: target, baseline: DefaultContent.baselineFolder()) else {
                throw ScanSessionError.noDefaultContent
            }
            contentPath = chosen.path
            if profile == nil { profile = chosen.profile }
            events(.defaultContent(chosen, profile: profile))
        }
        let content: SCAPContent
        do { content = try SCAPContent.load(path: contentPath, tailoring: options.tailoring) } catch {
            throw ScanSessionError.content("\(error)")
        }
        let policy = try Self.policy(content.benchmark, profile: profile, contentPath: contentPath)
        let onlyRules = try Self.evaluatedRules(options, content.benchmark, policy: policy, contentPath: contentPath)
        guard options.jobs >= 1 else { throw ScanSessionError.jobs(options.jobs) }
        // The database is opened before the scan: a bad one stops the command before work.
        let store: ScanStore?
        do { store = try options.store.map { try ScanStore(path: $0) } } catch { throw ScanSessionError.store("\(error)") }
        let scanner = Scanner(content: content, policy: policy, target: target, jobs: options.jobs,
                              onlyRules: onlyRules)
        return Prepared(target: target, contentPath: contentPath, content: content, scanner: scanner, store: store)
    }

    /// The policy for `profile` (a name, "all", or nil for the benchmark's own selection).
    static func policy(_ benchmark: XCCDFBenchmark, profile name: String?, contentPath: String) throws -> Policy {
        var profile: XCCDFProfile?
        var selectAll = false
        if let name {
            if name == "all" || name == XCCDFNames.allRulesProfile {
                selectAll = true
            } else {
                switch benchmark.profile(named: name) {
                case .found(let p): profile = p
                case .ambiguous(let ids): throw ScanSessionError.ambiguousProfile(name, candidates: ids)
                case .unknown:
                    throw ScanSessionError.unknownProfile(name, content: contentPath, known: benchmark.profiles.map(\.id))
                }
            }
        }
        do { return try Policy(benchmark: benchmark, profile: profile, selectAll: selectAll) } catch {
            throw ScanSessionError.policy("\(error)")
        }
    }

    // MARK: After the scan

    /// Stores the scan, writes its reports and decides the gate. A scan that cannot be
    /// stored is still reported; report and waiver problems are collected, not thrown.
    func finish(_ prepared: Prepared, result: ScanResult, events: (ScanEvent) -> Void) throws -> ScanOutcome {
        var problems: [String] = []
        let requests = ReportRequests(options: options, problems: &problems)
        var threshold: Severity?
        if let failOn = options.failOn {
            threshold = Severity(argument: failOn)
            if threshold == nil { problems.append("--fail-on '\(failOn)' is not a severity (info, low, medium, high)") }
        }
        var waivers: WaiverList?
        if let path = options.waivers {
            do { waivers = try WaiverList.load(path) } catch { problems.append("\(error)") }
        }
        let record: ScanRecord
        do {
            record = result.record(content: prepared.content, host: HostIdentity.of(prepared.target),
                                   targetKind: prepared.target.kind,
                                   contentSHA256: try prepared.content.sha256(), vigilVersion: options.vigilVersion)
        } catch { throw ScanSessionError.contentReread(path: prepared.contentPath, reason: "\(error)") }
        var stored = StoredScan(unstored: record)
        var storedID: Int64?
        if let db = prepared.store {
            // Stored before any report is written: a report problem loses nothing.
            do {
                let id = try db.save(record)
                stored = try db.scan(String(id))
                storedID = id
                events(.stored(id: id, path: db.path))
            } catch {
                problems.insert("the scan was not stored: \(error); its reports were written all the same", at: 0)
            }
        }
        let benchmark = prepared.content.benchmark
        var data = ReportData(scan: stored, rules: record.rules, waivers: waivers, generator: options.vigilVersion)
        data.benchmarkTitle = benchmark.title
        for w in waivers?.unmatched(record.rules.map(\.ruleID)) ?? [] {
            events(.warning("\(w.location): waiver for rule '\(w.rule)', which \(benchmark.id) does not have"))
        }
        for r in data.rules where r.waiver.map({ $0.isExpired(on: data.generatedAt) }) ?? false {
            events(.warning("\(r.waiver!.location): the waiver for \(r.record.ruleID) expired on \(r.waiver!.expires); it no longer counts"))
        }
        // The XCCDF TestResult's target is the scanning host, as oscap writes it.
        data.scap = SCAPSource(content: prepared.content, result: result, testResultTarget: HostIdentity.scanningHostName())
        requests.write(data: data, problems: &problems)
        let gate = options.waivers == nil && threshold == nil ? result.exitCode : Gate.exitCode(data, failOn: threshold)
        return ScanOutcome(result: result, record: record, report: data, storedID: storedID, problems: problems,
                           gateExitCode: gate)
    }
}
