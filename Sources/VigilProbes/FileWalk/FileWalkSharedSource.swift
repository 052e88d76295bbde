import Foundation
import VigilCore

/// The directory listings of one scan, shared by every recursive file object, so that a
/// scan costs one traversal of the file system however many objects walk it.
///
/// - **Readers.** Each walk that recurses down from a directory is known to the source
///   (`FileWalkRegistry`): planned batches announce their walks before any walk starts,
///   other walks register when they start. A listing is kept only for the unfinished
///   walks whose tree holds the directory and that have not read it yet (its *readers*),
///   and dropped as soon as the last of them has read it, or has finished. So the walk of
///   `/` and the walks of `/usr/lib` and `/lib` (the same directory on a merged-/usr
///   system) list each directory once between them, whichever reaches it first, and a
///   listing no other walk will read is not kept at all.
/// - **Reading ahead** (`FileWalkReadAhead.swift`): when a walk is about to descend,
///   background workers list the subtrees it will enter, newest first so that they keep
///   just ahead of it: the system calls of the traversal run on other cores while the
///   walk judges the entries it already has.
/// - **Memory.** Two fixed budgets bound what is kept, whatever the size of the tree:
///   listings read ahead of a walk (`aheadBudget`; reading ahead pauses when it is spent
///   and resumes as the walk reads them) and listings kept for other walks
///   (`shareBudget`; past it a listing is not kept and a later walk lists the directory
///   again). `VIGIL_WALK_CACHE_MB` sets their sum (default 12 MB, a third ahead).
final class FileWalkSharedSource: FileWalkSource, @unchecked Sendable {
    let target: any Target
    var localDevices: Set<UInt64>? { target.localDevices }
    let aheadBudget: Int
    let shareBudget: Int
    let lock = SpinningCondition()
    /// Listings waiting for readers, by directory.
    var kept: [FileIdentity: KeptListing] = [:]
    /// Directories being listed right now: a second reader waits for the first listing.
    var inFlight: Set<FileIdentity> = []
    /// Directories being listed that walks wait for, and how many walks wait.
    var awaited: [FileIdentity: Int] = [:]
    /// Bytes kept in each pool.
    var aheadUsed = 0
    var sharedUsed = 0
    /// The most bytes kept at once (for tests and benchmarks).
    private(set) var peakBytes = 0
    let registry = FileWalkRegistry()
    /// Directories to list ahead of the walks, the next one last.
    var ahead: [ReadAhead] = []
    /// How many times each directory is in `ahead`.
    var queued: [FileIdentity: Int] = [:]
    /// Queued directories a walk has listed itself: not to be read ahead any more.
    var passed: Set<FileIdentity> = []
    var workers = 0
    /// Background listers at most (`VIGIL_READ_AHEAD` overrides; 0 turns reading ahead off).
    let maxWorkers: Int

    /// The most directories waiting to be read ahead; older ones are dropped.
    static let aheadLimit = 4096

    /// Bytes of listings kept at most by default, both pools (`VIGIL_WALK_CACHE_MB`
    /// overrides): about 130,000 directory entries.
    static let defaultBudget: Int = {
        if let mb = ProcessInfo.processInfo.environment["VIGIL_WALK_CACHE_MB"].flatMap(Int.init), mb >= 0 { return mb << 20 }
        return 12 << 20
    }()

    /// One lister per core beyond the first, at least one and at most four: on two cores
    /// a second lister saved about 5% of a whole-file-system scan's time for 10 MB more
    /// peak memory (benchmarks/README.md), as the walks already keep both cores busy.
    static let defaultReadAhead: Int = {
        if let n = ProcessInfo.processInfo.environment["VIGIL_READ_AHEAD"].flatMap(Int.init), n >= 0 { return n }
        return max(1, min(4, ProcessInfo.processInfo.activeProcessorCount - 1))
    }()

    /// `budget` bytes at most, a third of them for reading ahead.
    init(target: any Target, budget: Int = FileWalkSharedSource.defaultBudget,
         readAhead: Int = FileWalkSharedSource.defaultReadAhead) {
        self.target = target
        self.aheadBudget = budget / 3
        self.shareBudget = budget - budget / 3
        self.maxWorkers = readAhead
    }

    // MARK: Walks

    func announceWalk(key: String, root: FileIdentity) {
        lock.lock()
        registry.announce(key: key, root: root)
        lock.unlock()
    }

    func startWalk(key: String?, root: FileIdentity) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        return registry.start(key: key, root: root)
    }

    func finishWalk(_ walk: Int) {
        lock.lock()
        defer { lock.unlock() }
        guard registry.finish(walk) else { return }
        for (key, listing) in kept where listing.readers.contains(walk) { read(key, listing, by: walk) }
        ahead.removeAll { $0.readers.first == walk }
        queued = [:]
        for d in ahead { queued[d.identity, default: 0] += 1 }
        passed = passed.filter { queued[$0] != nil }
    }

    func walkRoots() -> [FileIdentity: [Int]] {
        lock.lock()
        defer { lock.unlock() }
        return registry.roots
    }

    func ancestorIdentities(of path: String) -> [FileIdentity] {
        guard case .success(let canonical) = target.canonicalPath(path) else { return [] }
        var prefixes = ["/"]
        var current = ""
        for component in canonical.split(separator: "/") {
            current += "/" + component
            prefixes.append(current)
        }
        return prefixes.compactMap { p in
            target.fileInfo(p, followLinks: false).map { FileIdentity(device: $0.device, inode: $0.inode) }
        }
    }

    // MARK: Listings

    func entries(of directory: String, identity: FileIdentity?) -> Result<[DirectoryEntry], TargetFailure> {
        entries(of: directory, identity: identity, reader: nil)
    }

    func entries(of directory: String, identity: FileIdentity?, reader: FileWalkReader?) -> Result<[DirectoryEntry], TargetFailure> {
        FootprintScope.noteListing(directory)
        var known = identity
        if known == nil, let dir = target.fileInfo(directory, followLinks: true), dir.isDirectory {
            known = FileIdentity(device: dir.device, inode: dir.inode)
        }
        guard let key = known else { return target.directoryEntries(directory) }
        lock.lock()
        while true {
            if let listing = kept[key] {
                if let walk = reader?.walk { read(key, listing, by: walk) }
                lock.unlock()
                return .success(listing.entries)
            }
            if !inFlight.contains(key) { break }
            awaited[key, default: 0] += 1
            lock.wait()
            if let n = awaited[key], n > 1 { awaited[key] = n - 1 } else { awaited[key] = nil }
        }
        inFlight.insert(key)
        passedBy(key)
        lock.unlock()
        let listing = target.directoryEntries(directory)
        let others = (reader?.interest ?? []).filter { $0 != reader?.walk }
        let cost = others.isEmpty ? 0 : KeptListing.cost(listing)
        lock.lock()
        keep(listing, cost: cost, for: key, readers: others, readAheadFor: nil)
        lock.unlock()
        return listing
    }

    func statResult(_ path: String, followLinks: Bool) -> Result<FileInfo, TargetFailure> {
        target.statResult(path, followLinks: followLinks)
    }

    /// `walk` has read (or will never read) a kept listing: it is dropped once no reader is
    /// left; a listing read ahead for `walk` moves to the shared pool if other walks will
    /// read it and it fits. Call locked.
    private func read(_ key: FileIdentity, _ listing: KeptListing, by walk: Int) {
        guard listing.readers.contains(walk) else { return }
        var left = listing
        left.readers.removeAll { $0 == walk }
        left.readers = registry.unfinished(left.readers)
        if left.readers.isEmpty {
            drop(key)
        } else if left.readAhead {
            drop(key)
            if sharedUsed + left.bytes <= shareBudget {
                left.readAhead = false
                store(left, key)
            }
        } else {
            kept[key] = left
        }
    }

    /// Keeps a listing for its `readers`, if any is unfinished and its pool has room
    /// (`readAheadFor`: read ahead of that walk), and wakes walks waiting for it. Call
    /// locked. A failed listing is not kept: the failure may pass (too many open files, no
    /// memory), and a walk must see its own attempt.
    func keep(_ listing: Result<[DirectoryEntry], TargetFailure>, cost: Int, for key: FileIdentity, readers: [Int],
              readAheadFor: Int?) {
        inFlight.remove(key)
        // Woken only when a walk waits for this very listing (waking them all for every
        // listing costs a system call per directory).
        if awaited[key] != nil { lock.broadcast() }
        let live = registry.unfinished(readers)
        guard !live.isEmpty, case .success(let entries) = listing else { return }
        let aheadOfWalk = readAheadFor.map(live.contains) ?? false
        if aheadOfWalk ? aheadUsed + cost > aheadBudget : sharedUsed + cost > shareBudget { return }
        store(KeptListing(entries: entries, readers: live, bytes: cost, readAhead: aheadOfWalk), key)
    }

    private func store(_ listing: KeptListing, _ key: FileIdentity) {
        kept[key] = listing
        if listing.readAhead { aheadUsed += listing.bytes } else { sharedUsed += listing.bytes }
        peakBytes = max(peakBytes, aheadUsed + sharedUsed)
    }

    /// Forgets a kept listing. Call locked.
    private func drop(_ key: FileIdentity) {
        guard let gone = kept.removeValue(forKey: key) else { return }
        if gone.readAhead { aheadUsed -= gone.bytes } else { sharedUsed -= gone.bytes }
    }

    /// Bytes of listings kept now (for tests and benchmarks).
    var keptBytes: Int {
        lock.lock()
        defer { lock.unlock() }
        return aheadUsed + sharedUsed
    }
}

/// A listing kept for the walks that will read it.
struct KeptListing {
    let entries: [DirectoryEntry]
    /// The walks that have not read it yet; when read ahead, the walk it was read for first.
    var readers: [Int]
    let bytes: Int
    /// Read ahead of its first reader (counted in the read-ahead pool).
    var readAhead: Bool

    /// Approximate heap bytes of a listing: the array and, for names too long to be
    /// stored inline in a `String`, their storage.
    static func cost(_ listing: Result<[DirectoryEntry], TargetFailure>) -> Int {
        guard case .success(let entries) = listing else { return 0 }
        var bytes = 64 + entries.count * MemoryLayout<DirectoryEntry>.stride
        for e in entries where e.name.utf8.count > 15 { bytes += 32 + e.name.utf8.count }
        return bytes
    }
}
