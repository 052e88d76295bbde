import Foundation
import VigilContent
import VigilImage
import VigilProbes
import VigilReports
import VigilStore

/// One scan, driven from start to end: the one place a scan is run from. It checks what
/// can be checked before any work (reports and their places, `--fail-on`, waivers,
/// target, content and tailoring, profile, rules, jobs, database), loads the content,
/// resolves the policy, evaluates the rules, decides the gate, stores the scan and
/// writes the reports. It never prints and never exits: it reports what
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

    /// Runs the whole scan, and the scans that go with it (`ScanOutcome.companions`: the
    /// Kubernetes benchmark on a node, see `DefaultKubernetesContent`), one after the other.
    /// `events` is called on the calling thread, except `.progress`, which comes from the
    /// threads evaluating rules.
    public func run(events: @escaping @Sendable (ScanEvent) -> Void = { _ in }) throws -> ScanOutcome {
        var outcomes: [ScanOutcome] = []
        let scans = try prepare(events: events)
        for prepared in scans {
            for warning in [prepared.openShiftWarning, prepared.platformWarning].compactMap({ $0 }) { events(.warning(warning)) }
            let result = prepared.scanner.run { done, total, rule in events(.progress(done: done, total: total, rule: rule)) }
            outcomes.append(try finish(prepared, result: result, events: events))
        }
        var outcome = outcomes.removeFirst()
        outcome.companions = outcomes
        outcome.footprint = footprint(of: scans.map(\.scanner))
        return outcome
    }

    // MARK: Before the scan

    /// Everything a scan needs, checked and loaded.
    struct Prepared {
        let target: any Target
        let contentPath: String
        let content: SCAPContent
        let options: CheckedOptions
        let scanner: Scanner
        let store: ScanStore?
        /// The content is for another platform (`EmptyScan.platformWarning`).
        let platformWarning: String?
        /// The rule ids of every scan of the run, against which waivers are matched, and the
        /// benchmarks' ids; nil in the scans after the first (the first warns of waivers that
        /// match none).
        let waiverScope: (ruleIDs: [String], benchmarks: [String])?
        /// OpenShift content on a target that is not an OpenShift node (`OpenShiftCheck.warning`).
        let openShiftWarning: String?
    }

    /// What `load` finds: the target, the content and the policy.
    struct Loaded {
        let target: any Target
        let contentPath: String
        let content: SCAPContent
        let policy: Policy
        /// The rules to evaluate whatever the profile selects (`--rule`, `--skip-rule`); nil: the selection.
        let onlyRules: Set<String>?
    }

    /// Checks the options and loads what the scans need (the content's, then the
    /// Kubernetes benchmark's when it goes with it); throws before any rule runs and before
    /// the database is opened, with every mistake found (`ScanSessionError.several`).
    func prepare(events: (ScanEvent) -> Void) throws -> [Prepared] {
        var errors: [ScanSessionError] = []
        let checked = CheckedOptions(options, errors: &errors)
        var scans: [(loaded: Loaded, options: CheckedOptions)]
        do {
            let loaded = try load(events: events)
            scans = [(loaded, checked)]
            if let kubernetes = try kubernetesScan(loaded, checked, events: events, errors: &errors) { scans.append(kubernetes) }
        } catch let error as ScanSessionError {
            throw ScanSessionError.combined(errors + [error])
        }
        Self.checkChecklists(&scans, errors: &errors) { events(.note($0)) }
        guard errors.isEmpty else { throw ScanSessionError.combined(errors) }
        // The database is opened before the scan: a bad one stops the command before work.
        let store: ScanStore?
        do { store = try options.store.map { try ScanStore(path: $0) } } catch { throw ScanSessionError.store("\(error)") }
        let scope = (scans.flatMap { $0.loaded.content.benchmark.ruleOrder }, scans.map { $0.loaded.content.benchmark.id })
        return scans.enumerated().map { i, scan in
            let loaded = scan.loaded
            let scanner = makeScanner(loaded)
            let warning = EmptyScan.platformWarning(loaded.content.benchmark, applicability: scanner.applicability, target: loaded.target)
            return Prepared(target: loaded.target, contentPath: loaded.contentPath, content: loaded.content, options: scan.options,
                            scanner: scanner, store: store, platformWarning: warning, waiverScope: i == 0 ? scope : nil,
                            openShiftWarning: OpenShiftCheck.warning(loaded.content.benchmark, target: loaded.target))
        }
    }

    /// A STIG checklist needs rules with STIG ids: a scan without any writes none (said
    /// in a note) when another scan of the run has some; when none has, it is an error.
    static func checkChecklists(_ scans: inout [(loaded: Loaded, options: CheckedOptions)], errors: inout [ScanSessionError],
                                note: (String) -> Void) {
        let checklists: Set<ReportFormat> = [.ckl, .cklb]
        guard let format = scans[0].options.reports.requests.first(where: { checklists.contains($0.format) })?.format else { return }
        let stig = scans.map { selectsSTIGRules($0.loaded) }
        guard stig.contains(true) else {
            errors.append(.report("the \(format.rawValue) report is a STIG checklist, and no rule this scan evaluates has a STIG id "
                + "(a V-, SV- or STIG rule reference); use content with STIG references (e.g. the SCAP Security Guide's stig profile) or another format"))
            return
        }
        for i in scans.indices where !stig[i] {
            scans[i].options.reports.requests.removeAll { checklists.contains($0.format) }
            note("no rule the scan of \(scans[i].loaded.contentPath) evaluates has a STIG id: it writes no \(format.rawValue) checklist")
        }
    }

    /// Whether a rule the scan will evaluate carries a STIG id (a checklist of the scan is
    /// then not empty).
    static func selectsSTIGRules(_ loaded: Loaded) -> Bool {
        let rules = loaded.content.benchmark.rules
        let ids = loaded.onlyRules ?? loaded.policy.selected
        return STIGChecklist.anyHasSTIGID(ids.compactMap { id in
            rules[id].map { RuleRecord(ruleID: id, title: $0.title, severity: $0.severity, result: .notchecked,
                                       references: RuleReferences.of($0)) }
        })
    }

    /// The target, the content and the policy, with the rules and jobs checked; the first
    /// of them that is wrong is thrown.
    func load(events: (ScanEvent) -> Void) throws -> Loaded {
        let target = try openTarget()
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
        return Loaded(target: target, contentPath: contentPath, content: content, policy: policy, onlyRules: onlyRules)
    }

    /// The target the options name: an image (`--image`), an offline root (`--root`) or the
    /// live host.
    func openTarget() throws -> any Target {
        if let image = options.image {
            guard options.root == nil else { throw ScanSessionError.image("--image and --root cannot be used together") }
            do {
                return try ImageOpener.open(image, platform: options.platform, name: options.imageName).target
            } catch { throw ScanSessionError.image("\(error)") }
        }
        if options.platform != nil || options.imageName != nil {
            throw ScanSessionError.image("--platform and --image-name need --image")
        }
        guard let root = options.root else { return Targets.host }
        do { return try Targets.root(root) } catch { throw ScanSessionError.target("\(error)") }
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

    /// Applies the waivers and decides the gate, stores the scan and writes its reports. A
    /// scan that cannot be stored is still reported; a report that cannot be written is a
    /// problem, not thrown.
    func finish(_ prepared: Prepared, result: ScanResult, events: (ScanEvent) -> Void) throws -> ScanOutcome {
        let record: ScanRecord
        do {
            record = result.record(content: prepared.content, host: HostIdentity.of(prepared.target),
                                   targetKind: prepared.target.kind,
                                   contentSHA256: try prepared.content.sha256(), vigilVersion: options.vigilVersion)
        } catch { throw ScanSessionError.contentReread(path: prepared.contentPath, reason: "\(error)") }
        let benchmark = prepared.content.benchmark
        let waivers = prepared.options.waivers
        var data = ReportData(scan: StoredScan(unstored: record), rules: record.rules, waivers: waivers, generator: options.vigilVersion)
        data.benchmarkTitle = benchmark.title
        if let scope = prepared.waiverScope {
            let which = scope.benchmarks.count == 1 ? "\(benchmark.id) does not have"
                : "none of \(scope.benchmarks.joined(separator: ", ")) has"
            for w in waivers?.unmatched(scope.ruleIDs) ?? [] {
                events(.warning("\(w.location): waiver for rule '\(w.rule)', which \(which)"))
            }
        }
        for r in data.rules where r.waiver.map({ $0.isExpired(on: data.generatedAt) }) ?? false {
            events(.warning("\(r.waiver!.location): the waiver for \(r.record.ruleID) expired on \(r.waiver!.expires); it no longer counts"))
        }
        let gate = Gate(data, failOn: prepared.options.threshold, allowEmpty: options.allowEmpty)
        events(.scanned(result, benchmark: benchmark, report: data, gate: gate))
        var problems: [String] = []
        var storedID: Int64?
        if let db = prepared.store {
            // Stored before any report is written: a report problem loses nothing.
            do {
                let id = try storeScan(record, in: db, events: events)
                data.scan = try db.scan(String(id))
                storedID = id
                events(.stored(id: id, path: db.path))
            } catch {
                problems.insert("the scan was not stored: \(error); its reports were written all the same", at: 0)
            }
        }
        // The XCCDF TestResult's target is the scanning host, as oscap writes it.
        data.scap = SCAPSource(content: prepared.content, result: result, testResultTarget: HostIdentity.scanningHostName())
        prepared.options.reports.write(data: data, problems: &problems) { events(.warning($0)) }
        let empty = gate.isEmpty ? EmptyScan.explanation(result, benchmark: benchmark, platformWarning: prepared.platformWarning) : nil
        return ScanOutcome(result: result, record: record, report: data, storedID: storedID, problems: problems,
                           gate: gate, nothingEvaluated: empty,
                           drift: Self.driftSincePrevious(in: prepared.store, of: data.scan, storedID: storedID))
    }
}
