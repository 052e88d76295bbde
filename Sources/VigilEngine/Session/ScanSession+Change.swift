import VigilCore

/// What a scan session does for change-driven scans: record footprints, rescan some rules.
extension ScanSession {
    /// The scanner of `loaded`: reading through a `RecordingTarget` when the footprint is
    /// recorded, carrying the verdicts of the rules a partial rescan leaves out.
    func makeScanner(_ loaded: Loaded) -> Scanner {
        let recorder = options.recordFootprint ? FootprintRecorder() : nil
        let target = recorder.map { RecordingTarget(loaded.target, recorder: $0) } ?? loaded.target
        let scanner = Scanner(content: loaded.content, policy: loaded.policy, target: target, jobs: options.jobs,
                              onlyRules: loaded.onlyRules)
        scanner.footprint = recorder
        if let rescan = options.rescan,
           let previous = rescan.previousRecord(content: loaded.content, policy: loaded.policy,
                                                hostID: HostIdentity.of(loaded.target).id, target: loaded.target.label) {
            scanner.carried = rescan.carried(from: previous)
        }
        return scanner
    }

    /// The footprint of the scans `scanners` ran, updating a partial rescan's previous
    /// footprint; nil when not recorded.
    func footprint(of scanners: [Scanner]) -> ScanFootprint? {
        var merged: ScanFootprint?
        var evaluated = Set<String>()
        for scanner in scanners {
            guard let recorder = scanner.footprint else { continue }
            let selected = scanner.onlyRules ?? scanner.policy.selected
            let rules = scanner.content.benchmark.ruleOrder.filter { scanner.carried[$0] == nil && selected.contains($0) }
            evaluated.formUnion(rules)
            let one = ScanFootprint(recorder: recorder, rules: rules)
            merged = merged.map { $0.merging(one) } ?? one
        }
        guard let merged else { return nil }
        return options.rescan?.footprint.map { $0.updating(with: merged, evaluated: evaluated) } ?? merged
    }
}
