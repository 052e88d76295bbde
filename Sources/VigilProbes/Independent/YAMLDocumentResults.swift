import VigilOVAL

/// What each YAML Path asked of a file selects in it, every file read once and parsed in
/// one pass for all its paths (`YAMLContentQuery.evaluate(_:yamlPaths:work:)`). The
/// bytes are dropped once the pass is done: what stays is the records, shared by every
/// object that asks the same path of the same file.
struct YAMLDocumentResults: Sendable {
    /// What one path gives in one file.
    enum Outcome: Sendable {
        /// The file could not be read.
        case unreadable
        /// The path is invalid, the YAML malformed, or the selection has no record form.
        case failure(QueryFailure)
        /// The records selected (none: no item).
        case records([YAMLContentQuery.Record])
    }

    private var files: [String: [String: Outcome]] = [:]
    /// Files read (each once).
    private(set) var reads = 0
    /// The work of every pass.
    private(set) var work = YAMLQueryWork()

    init() {}

    /// Reads each file of `documents` once and evaluates its paths in one pass.
    init(reading documents: [(filepath: String, yamlPaths: [String])], target: any Target) {
        for document in documents { add(document.filepath, yamlPaths: document.yamlPaths, target: target) }
    }

    /// What `yamlPath` gives in `filepath`, or nil when it was not evaluated here.
    func outcome(_ filepath: String, yamlPath: String) -> Outcome? {
        files[filepath]?[yamlPath]
    }

    /// What `yamlPath` gives in `filepath`, read and parsed for it alone.
    static func evaluate(_ filepath: String, yamlPath: String, target: any Target) -> Outcome {
        var alone = YAMLDocumentResults()
        alone.add(filepath, yamlPaths: [yamlPath], target: target)
        return alone.outcome(filepath, yamlPath: yamlPath) ?? .unreadable
    }

    /// Reads `filepath` and evaluates `yamlPaths` (distinct) over it in one pass.
    private mutating func add(_ filepath: String, yamlPaths: [String], target: any Target) {
        guard files[filepath] == nil, !yamlPaths.isEmpty else { return }
        reads += 1
        guard let bytes = try? target.readFile(filepath) else {
            files[filepath] = Dictionary(uniqueKeysWithValues: yamlPaths.map { ($0, Outcome.unreadable) })
            return
        }
        let results = YAMLContentQuery.evaluate(bytes, yamlPaths: yamlPaths, work: &work)
        var byPath: [String: Outcome] = [:]
        for (path, result) in zip(yamlPaths, results) {
            switch result {
            case .success(let records): byPath[path] = .records(records)
            case .failure(let failure): byPath[path] = .failure(failure)
            }
        }
        files[filepath] = byPath
    }
}
