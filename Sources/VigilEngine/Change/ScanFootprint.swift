import VigilCore

/// What a scan read, per rule: the paths a change to which can change the rule's verdict
/// (files read, paths `stat`ed, links read, paths resolved, directories listed), and the
/// scan's global paths (applicability, read outside any rule), a change to which can
/// change any verdict. Recorded with `ScanOptions.recordFootprint`, watched by `ChangeMonitor`.
///
/// Paths under `/proc`, `/sys`, `/dev` and `/run` are left out: they are the running
/// system's state, which inotify does not report; rules reading them are refreshed by
/// the scheduled full scans.
public struct ScanFootprint: Sendable, Equatable {
    /// The paths one rule (or the whole scan) depends on, as paths inside the target.
    public struct Paths: Sendable, Equatable {
        /// Files and directories read, `stat`ed, resolved or read as links: a change to
        /// the path itself, or to one of its ancestors (a rename, a removal), touches it.
        public var files: Set<String> = []
        /// Directories listed: also touched when an entry appears in them or leaves them.
        public var directories: Set<String> = []

        public init(files: Set<String> = [], directories: Set<String> = []) {
            self.files = files.filter { !ScanFootprint.isRuntimeState($0) }
            self.directories = directories.filter { !ScanFootprint.isRuntimeState($0) }
        }

        /// Whether a change at `changed` (a path created, written, removed, renamed or
        /// whose attributes changed) touches these paths.
        public func isTouched(by changed: String) -> Bool {
            if changed == "/" { return !files.isEmpty || !directories.isEmpty }
            let below = changed + "/"
            if files.contains(changed) || directories.contains(changed) { return true }
            if directories.contains(ScanFootprint.parent(of: changed)) { return true }
            return files.contains { $0.hasPrefix(below) } || directories.contains { $0.hasPrefix(below) }
        }

        /// Both sets of paths together.
        public func union(_ other: Paths) -> Paths {
            var both = self
            both.files.formUnion(other.files)
            both.directories.formUnion(other.directories)
            return both
        }
    }

    /// Per evaluated rule id, what it depends on.
    public var rules: [String: Paths]
    /// What every rule depends on.
    public var global: Paths

    public init(rules: [String: Paths] = [:], global: Paths = Paths()) {
        self.rules = rules
        self.global = global
    }

    /// The footprint `recorder` holds for `rules` (the rules a scan evaluated).
    public init(recorder: FootprintRecorder, rules ids: some Sequence<String>) {
        var rules: [String: Paths] = [:]
        for id in ids {
            let reach = recorder.reach(FootprintRecorder.ruleNode(id))
            rules[id] = Paths(files: reach.paths, directories: reach.listings)
        }
        let global = recorder.reach(FootprintScope.globalNode)
        self.init(rules: rules, global: Paths(files: global.paths, directories: global.listings))
    }

    /// The rules a change at any of `changedPaths` touches; nil when a change touches the
    /// global footprint, so that every rule must be evaluated again.
    public func rules(touchedBy changedPaths: Set<String>) -> Set<String>? {
        if changedPaths.contains(where: global.isTouched(by:)) { return nil }
        var touched = Set<String>()
        for (id, paths) in rules where changedPaths.contains(where: paths.isTouched(by:)) { touched.insert(id) }
        return touched
    }

    /// Every path watched: the global ones and every rule's.
    public var allPaths: Paths {
        var all = global
        for paths in rules.values {
            all.files.formUnion(paths.files)
            all.directories.formUnion(paths.directories)
        }
        return all
    }

    /// This footprint with the rules `evaluated` by a newer (partial) scan taking their
    /// newer footprint; the global paths of both are kept.
    public func updating(with newer: ScanFootprint, evaluated: Set<String>) -> ScanFootprint {
        var out = self
        for id in evaluated { out.rules[id] = newer.rules[id] }
        out.global = global.union(newer.global)
        return out
    }

    /// Two scans' footprints as one (the scans of one run).
    public func merging(_ other: ScanFootprint) -> ScanFootprint {
        ScanFootprint(rules: rules.merging(other.rules) { $0.union($1) }, global: global.union(other.global))
    }

    /// Whether `path` is the running system's state, which inotify does not report.
    public static func isRuntimeState(_ path: String) -> Bool {
        // Most paths are told apart by their second byte (footprints hold many thousands).
        guard let second = path.utf8.dropFirst().first, runtimeInitials.contains(second) else { return false }
        return runtimeRoots.contains { root in
            path.utf8.starts(with: root.utf8) && (path.utf8.count == root.utf8.count
                || path.utf8[path.utf8.index(path.utf8.startIndex, offsetBy: root.utf8.count)] == UInt8(ascii: "/"))
        }
    }

    static let runtimeRoots = ["/proc", "/sys", "/dev", "/run"]
    private static let runtimeInitials: Set<UInt8> = Set(runtimeRoots.compactMap { $0.utf8.dropFirst().first })

    /// The directory holding `path` ("/" for "/x" and for "/").
    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
        return String(path[..<slash])
    }
}
