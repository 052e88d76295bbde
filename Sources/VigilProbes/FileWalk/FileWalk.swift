import Foundation
import VigilOVAL

/// Resolves the `filepath`, or `path` and `filename`, of a file-system object to the files
/// and directories it names, walking the target as OpenSCAP 1.3.7's `oval_fts.c` does:
///
/// - **Starting point.** `equals` starts at the path itself; `pattern match` at the
///   directory named by the regex's literal prefix; any other operation at "/".
/// - **Matching walk** (finds the `filepath` files, or the `path` directories): links are
///   followed everywhere (a link is reported under its own name with its target's type),
///   directory cycles are skipped, and with `pattern match` directories that the
///   caret-anchored regex cannot match are not entered (OpenSCAP asks PCRE for a partial
///   match; Vigil prunes on the regex's literal prefix, which never prunes more). With
///   `equals` only the starting path can match.
/// - **Comparisons** of paths and names use every value of a variable, combined by the
///   entity's `var_check`, as OpenSCAP's `probe_entobj_cmp` does.
/// - **Recursion** from each matched `path` directory: `recurse_direction="none"` looks at
///   the directory's own entries; `down` descends, entering directories and/or links as
///   `recurse` says, at most `max_depth` levels; `up` looks at each parent up to "/"
///   (`max_depth` parents). With a nil filename the directories themselves are selected.
/// - `recurse_file_system="local"` skips directories on devices that the scanning host
///   does not mount from a local file system; `defined` stays on the starting device.
///
/// Vigil departs from OpenSCAP on purpose in these ways: it never enters /proc, /sys or
/// /dev unless the object's path names them; on an offline root every path is resolved
/// inside the root (OpenSCAP follows absolute links out of `OSCAP_PROBE_ROOT`); and it
/// never skips part of a tree silently: a directory it cannot list or a file it cannot
/// `stat` for a reason other than absence (too many open files, no memory, permission
/// denied, a path too long, ...), or a tree deeper than `FileWalk.depthLimit` levels,
/// flags the walk as an error (the object is then `error`, never a false pass).
///
/// The walk is iterative (an explicit stack, not recursion), with a set of the
/// directories on the current path for cycle detection.
package enum FileWalk {
    /// The deepest level below a walk's starting directory that a walk lists; a
    /// directory deeper than that makes the walk an error.
    package static let depthLimit = 1024

    /// Walks `request` over `source`, calling `visit` for each selected entry in walk
    /// order (an entry reached twice through a followed link is reported once).
    @discardableResult
    package static func walk(_ request: FileWalkRequest, source: any FileWalkSource, spelling: TargetPathSpelling,
                            visit: (FileWalkEntry) -> Void) -> FileWalkReport {
        let filename: FileWalkEntity?
        if case .path(_, let f) = request.selection { filename = f } else { filename = nil }
        return walk(request, filenames: [filename], source: source, spelling: spelling) { _, entry in visit(entry) }[0]
    }

    /// One traversal for several selections that share `request`'s path and behaviors and
    /// differ only in their `filename` (nil: the directories themselves). `visit` gets the
    /// index of the selection an entry belongs to; the result holds one report per
    /// selection. Each selection gets exactly the entries its own walk would give. A
    /// walk that is not `recurse_direction="down"` is cheap and runs once per selection.
    /// `walkKey` is the key a planned batch announced the walk under (`FileWalkSource.announceWalk`).
    package static func walk(_ request: FileWalkRequest, filenames: [FileWalkEntity?], source: any FileWalkSource,
                            spelling: TargetPathSpelling, walkKey: String? = nil,
                            visit: (Int, FileWalkEntry) -> Void) -> [FileWalkReport] {
        withoutActuallyEscaping(visit) { visit in
            if filenames.count > 1, request.behaviors.direction != .down, case .path(let path, _) = request.selection {
                return filenames.indices.map { i in
                    let one = FileWalkRequest(selection: .path(path, filename: filenames[i]), behaviors: request.behaviors)
                    let walker = FileWalker(request: one, filenames: [filenames[i]], source: source, spelling: spelling) { visit(i, $1) }
                    walker.run()
                    return walker.reports[0]
                }
            }
            let walker = FileWalker(request: request, filenames: filenames, source: source, spelling: spelling,
                                    walkKey: walkKey, visit: visit)
            walker.run()
            return walker.reports
        }
    }

    /// Every entry `walk` selects, in order.
    package static func entries(_ request: FileWalkRequest, source: any FileWalkSource,
                               spelling: TargetPathSpelling) -> (entries: [FileWalkEntry], report: FileWalkReport) {
        var found: [FileWalkEntry] = []
        let report = walk(request, source: source, spelling: spelling) { found.append($0) }
        return (found, report)
    }
}

/// The state of one walk (see `FileWalk`).
final class FileWalker {
    let source: any FileWalkSource
    let spelling: TargetPathSpelling
    let behaviors: FileWalkBehaviors
    let visit: (Int, FileWalkEntry) -> Void
    /// What the walk reports for every selection (messages, errors of the walk itself).
    var report = FileWalkReport()
    /// Per selection: a `filename` comparison failed.
    var selectionErrors: [Bool]

    /// The entity that selects `filepath` files or `path` directories.
    private let pathEntity: FileWalkEntity
    let pathValue: String
    /// The `filename` entity of each selection (nil: select directories); `[nil]` for
    /// `filepath`. Several selections share one traversal (direction `down` only).
    let filenames: [FileWalkEntity?]
    /// Per selection: its filename is nil (it selects the directories themselves).
    let selectsDirectories: [Bool]
    /// The `filename` entity when there is one selection (the single-object shortcuts).
    var filenameEntity: FileWalkEntity? { filenames.count == 1 ? filenames[0] : nil }
    private let filepathMode: Bool
    private var pattern: FileWalkPattern?
    /// Set when the matching walk must end (an `equals` path was decided, or an error).
    var stopped = false
    /// OpenSCAP's walk-wide `following` flag: the last link entered was followed.
    var following = false
    var localDevices: Set<UInt64>?
    var startDevice: UInt64?
    var pseudoIdentities: Set<FileIdentity> = []
    var pseudoDevices: Set<UInt64> = []
    private var lastEmitted: [FileWalkEntry?]
    /// This walk as the source knows it (`FileWalkSource.startWalk`) while it recurses
    /// down from a directory; nil otherwise.
    var walkID: Int?
    /// The key a planned batch announced this walk under (`FileWalkSource.announceWalk`).
    let walkKey: String?
    /// The other walks whose trees hold the node being visited.
    var interest: [Int] = []
    /// The source's walks by root when this walk started (`FileWalkSource.walkRoots`).
    var rootedWalks: [FileIdentity: [Int]] = [:]

    init(request: FileWalkRequest, filenames: [FileWalkEntity?], source: any FileWalkSource, spelling: TargetPathSpelling,
         walkKey: String? = nil, visit: @escaping (Int, FileWalkEntry) -> Void) {
        self.source = source
        self.walkKey = walkKey
        self.spelling = spelling
        self.behaviors = request.behaviors
        self.visit = visit
        switch request.selection {
        case .filepath(let entity):
            pathEntity = entity
            self.filenames = [nil]
            filepathMode = true
        case .path(let entity, _):
            pathEntity = entity
            self.filenames = filenames.isEmpty ? [nil] : filenames
            filepathMode = false
        }
        pathValue = pathEntity.value
        selectsDirectories = self.filenames.map { $0 == nil }
        selectionErrors = Array(repeating: false, count: self.filenames.count)
        lastEmitted = Array(repeating: nil, count: self.filenames.count)
    }

    /// One report per selection.
    var reports: [FileWalkReport] {
        selectionErrors.map { failed in
            var r = report
            if failed { r.errorFlag = true }
            return r
        }
    }

    /// Whether the (single) selection asks for directories rather than files.
    var collectDirectories: Bool { !filepathMode && filenames.count == 1 && filenames[0] == nil }

    // MARK: Start

    func run() {
        guard let start = startPath() else { return }
        // OpenSCAP fails unless the starting path exists (a dangling link is accepted).
        guard statInfo(start, followLinks: false) != nil else { return }
        if behaviors.fileSystem == .local {
            guard let devices = source.localDevices ?? FileWalker.localDeviceSet() else {
                report.messages.append("cannot read the mount table for recurse_file_system=\"local\"")
                return
            }
            localDevices = devices
        }
        preparePseudoFileSystems()
        let root = rootNode(start)
        if behaviors.fileSystem == .defined { startDevice = root.info?.device }
        traverse(from: root, followLinks: true, matchStep)
    }

    /// The path the walk starts from, as OpenSCAP spells it (nil: collect nothing).
    private func startPath() -> String? {
        switch pathEntity.operation {
        case .equals:
            return spelled(pathValue)
        case .patternMatch:
            guard let prepared = FileWalkPattern(pathValue) else { return nil }
            pattern = prepared
            return prepared.startDirectory
        default:
            return "/"
        }
    }

    /// A path as OpenSCAP's walk spells it: offline, it is joined to the root prefix, which
    /// removes leading slashes and makes it absolute; live, it stays as given.
    private func spelled(_ value: String) -> String {
        FileWalker.spelled(value, spelling)
    }

    static func spelled(_ value: String, _ spelling: TargetPathSpelling) -> String {
        if spelling == .asGiven { return value }
        return "/" + String(decoding: value.utf8.drop { $0 == FileWalker.slashByte }, as: UTF8.self)
    }

    // MARK: Errors

    /// Flags the walk as an error (every selection) and ends it: part of the tree could
    /// not be read, so no answer drawn from the rest can be trusted.
    func fail(_ message: String) {
        report.errorFlag = true
        report.messages.append(message)
        stopped = true
    }

    /// Whether a failed `stat` or listing only says the file is not there (or is a
    /// dangling or looping link), which a walk reports as such; anything else is an error.
    static func isAbsence(_ failure: TargetFailure) -> Bool {
        failure.code == ENOENT || failure.code == ENOTDIR || failure.code == ELOOP
    }

    /// `stat` or `lstat` through the source; a failure other than absence fails the walk.
    func statInfo(_ path: String, followLinks: Bool) -> FileInfo? {
        switch source.statResult(path, followLinks: followLinks) {
        case .success(let info):
            return info
        case .failure(let failure):
            if !FileWalker.isAbsence(failure) { fail("cannot stat \(PathBytes.display(path, limit: 240)): \(failure)") }
            return nil
        }
    }

    /// The entries of a directory node, or nil (the walk is failed) when it cannot be
    /// listed or lies deeper than `FileWalk.depthLimit`.
    func listing(_ node: FileWalkNode) -> [DirectoryEntry]? {
        guard node.level < FileWalk.depthLimit else {
            fail("directory tree deeper than \(FileWalk.depthLimit) levels at \(PathBytes.display(node.path, limit: 240))")
            return nil
        }
        switch source.entries(of: node.path, identity: node.identity, reader: reader) {
        case .success(let entries):
            return entries
        case .failure(let failure):
            if !FileWalker.isAbsence(failure) {
                fail("cannot list directory \(PathBytes.display(node.path, limit: 240)): \(failure)")
            }
            return nil
        }
    }

    // MARK: Traversal

    /// What visiting a node asks of the traversal.
    enum Step {
        /// Nothing more for this node.
        case done
        /// Visit this node (the same entry seen another way) now.
        case revisit(FileWalkNode)
        /// Visit these entries of the directory, in order, then leave it.
        case descend(FileWalkNode, [DirectoryEntry])
    }

    /// A directory being walked: its level, identity and entries, the next one to visit,
    /// and the other walks whose trees hold it (`FileWalkReader.interest`). Read in place
    /// (`frames[top]`): copying a frame per entry was a tenth of a walk's own time.
    private struct Frame {
        let level: Int
        let identity: FileIdentity?
        let entries: [DirectoryEntry]
        let base: String
        let interest: [Int]
        var next = 0
    }

    /// Depth-first, pre-order traversal from `root` with an explicit stack: `step` is
    /// called for each node with the identities of the directories above it.
    func traverse(from root: FileWalkNode, followLinks: Bool,
                          _ step: (FileWalkNode, Set<FileIdentity>) -> Step) {
        var ancestors = Set<FileIdentity>()
        var frames: [Frame] = []
        var pending: FileWalkNode? = root
        let rootInterest = interest
        while !stopped {
            if let node = pending {
                pending = nil
                if walkID != nil && node.kind == .directory {
                    interest = interest(of: node, within: frames.isEmpty ? rootInterest : frames[frames.count - 1].interest)
                }
                switch step(node, ancestors) {
                case .done:
                    break
                case .revisit(let again):
                    pending = again
                    continue
                case .descend(let directory, let entries):
                    if let id = directory.identity { ancestors.insert(id) }
                    frames.append(Frame(level: directory.level, identity: directory.identity, entries: entries,
                                        base: FileWalker.base(of: directory), interest: interest))
                }
                if stopped { return }
            }
            let top = frames.count - 1
            guard top >= 0 else { return }
            let next = frames[top].next
            if next < frames[top].entries.count {
                frames[top].next = next + 1
                pending = childNode(level: frames[top].level + 1, frames[top].entries[next], followLinks: followLinks,
                                    base: frames[top].base)
            } else {
                if let id = frames[top].identity { ancestors.remove(id) }
                frames.removeLast()
            }
        }
    }

    // MARK: Matching walk

    private func matchStep(_ node: FileWalkNode, _ ancestors: Set<FileIdentity>) -> Step {
        if stopped { return .done }
        if node.kind == .directory, let id = node.identity, ancestors.contains(id) { return .done }
        let dirOrLink = node.kind == .directory || node.kind == .symlink
        if dirOrLink && !onAllowedFileSystem(node) { return .done }
        if node.kind == .directory && isPseudoFileSystem(node) { return .done }

        var candidate = true
        if let pattern, node.kind == .directory {
            // OpenSCAP's partial-match pruning: a directory the anchored pattern cannot
            // start to match is skipped; one it only partly matches is entered but is
            // not a candidate itself.
            do {
                switch try pattern.regex.partialMatch(node.path) {
                case .none: return .done
                case .partial: candidate = false
                case .full: break
                }
            } catch {
                report.messages.append("\(error)")
                stopped = true
                return .done
            }
        }
        let rightKind = filepathMode ? node.kind != .directory : node.kind == .directory
        if candidate && rightKind {
            switch pathEntity.evaluate(node.path) {
            case .true:
                if filepathMode {
                    if behaviors.fileSystem != .local || isLocal(node.info?.device) {
                        emit(0, FileWalkEntry(path: FileWalker.itemPath(node), filename: node.name, kind: node.kind, lstat: node.lstatInfo))
                    }
                } else {
                    recurse(from: node)
                }
            default:
                break
            }
        }
        // With `equals` only the starting path can match (OpenSCAP stops at the first
        // entry that does not).
        if pathEntity.operation == .equals { stopped = true; return .done }
        guard node.kind == .directory, !stopped else { return .done }
        guard let entries = listing(node) else {
            if stopped { return .done }
            var unreadable = node
            unreadable.kind = .unreadableDirectory
            return .revisit(unreadable)
        }
        return .descend(node, entries)
    }

    // MARK: Selection output

    func emit(_ selection: Int, _ entry: FileWalkEntry) {
        // A followed link is reported by fts a second time; report it once.
        if let last = lastEmitted[selection], last.path == entry.path, last.filename == entry.filename { return }
        lastEmitted[selection] = entry
        visit(selection, entry)
    }
}
