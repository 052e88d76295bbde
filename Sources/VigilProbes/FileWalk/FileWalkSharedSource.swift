import Foundation

/// The directory listings of one scan, shared by every recursive file object: each
/// directory is listed (and its entries `lstat`ed) once, however many objects walk it and
/// by whatever path (listings are kept by device and inode, so `/lib/x` and `/usr/lib/x`
/// on a merged-/usr system are one listing).
///
/// Memory stays bounded: listings are kept until they reach `budget` bytes; past that,
/// further directories are listed for each walk that needs them and not kept, so a tree
/// far larger than the budget costs repeated reads, never unbounded memory.
///
/// Listing reads ahead: when a walk is about to descend, background workers crawl the
/// subtrees it will enter (on the same device, to the walk's depth), newest first so that
/// they keep just ahead of the walk, and the system calls of the traversal run on other
/// cores while the walk judges the entries it already has. Crawling stops at the budget.
final class FileWalkSharedSource: FileWalkSource, @unchecked Sendable {
    let target: any Target
    var localDevices: Set<UInt64>? { target.localDevices }
    let budget: Int
    private let lock = NSCondition()
    private var listings: [FileIdentity: CompactListing] = [:]
    /// Directories being listed right now: a second walk waits for the first listing.
    private var inFlight: Set<FileIdentity> = []
    private var used = 0
    /// Set when a listing did not fit in the budget: reading ahead stops for good.
    private var full = false
    /// Directories to list ahead of the walks, the next one last.
    private var ahead: [ReadAhead] = []
    private var workers = 0
    /// Background listers at most (`VIGIL_READ_AHEAD` overrides; 0 turns reading ahead off).
    let maxWorkers: Int

    /// The most directories waiting to be read ahead; older ones are dropped.
    static let aheadLimit = 4096

    /// Listings kept by default (`VIGIL_WALK_CACHE_MB` overrides): enough for a few
    /// hundred thousand files.
    static let defaultBudget: Int = {
        if let mb = ProcessInfo.processInfo.environment["VIGIL_WALK_CACHE_MB"].flatMap(Int.init), mb >= 0 { return mb << 20 }
        return 24 << 20
    }()

    init(target: any Target, budget: Int = FileWalkSharedSource.defaultBudget,
         readAhead: Int = FileWalkSharedSource.defaultReadAhead) {
        self.target = target
        self.budget = budget
        self.maxWorkers = readAhead
    }

    static let defaultReadAhead: Int = {
        if let n = ProcessInfo.processInfo.environment["VIGIL_READ_AHEAD"].flatMap(Int.init), n >= 0 { return n }
        return max(1, min(4, ProcessInfo.processInfo.activeProcessorCount))
    }()

    func willEnter(_ directories: [(path: String, identity: FileIdentity)], depth: Int) {
        guard maxWorkers > 0, !directories.isEmpty, depth != 0 else { return }
        lock.lock()
        guard !full else { lock.unlock(); return }
        push(directories.map { ReadAhead(path: $0.path, identity: $0.identity, depth: depth) })
        let start = min(maxWorkers - workers, ahead.count)
        workers += max(0, start)
        lock.unlock()
        // Not attributed: each walk records the listings it uses (`entries(of:identity:)`).
        let recorder = FootprintScope.current?.recorder
        for _ in 0..<max(0, start) {
            DispatchQueue.global().async { [self] in FootprintScope.within(recorder, node: FootprintScope.ignoredNode) { readAheadLoop() } }
        }
    }

    /// Queues directories to read ahead, the first to be read first. Call locked.
    private func push(_ directories: [ReadAhead]) {
        for d in directories.reversed() where listings[d.identity] == nil && !inFlight.contains(d.identity) {
            ahead.append(d)
        }
        if ahead.count > Self.aheadLimit { ahead.removeFirst(ahead.count - Self.aheadLimit) }
    }

    /// One background lister: lists waiting directories, newest first, queueing their
    /// subdirectories, until none is left or the budget is spent.
    private func readAheadLoop() {
        lock.lock()
        while let next = ahead.popLast() {
            if full { ahead.removeAll(); break }
            if listings[next.identity] != nil || inFlight.contains(next.identity) { continue }
            inFlight.insert(next.identity)
            lock.unlock()
            let compact = CompactListing(target.directoryEntries(next.path))
            let children = next.depth == 1 ? [] : compact.subdirectories(of: next.path, device: next.identity.device)
            lock.lock()
            store(compact, for: next.identity)
            push(children.map { ReadAhead(path: $0.path, identity: $0.identity, depth: next.depth - 1) })
        }
        workers -= 1
        lock.unlock()
    }

    /// Keeps a listing if the budget allows and wakes walks waiting for it. Call locked.
    /// A failed listing is not kept: the failure may pass (too many open files, no
    /// memory), and the walk that needs the directory must see its own attempt.
    private func store(_ compact: CompactListing, for key: FileIdentity) {
        let cost = 64 + compact.bytes
        if compact.failed {
            // Not kept.
        } else if used + cost <= budget {
            listings[key] = compact
            used += cost
        } else {
            full = true
        }
        inFlight.remove(key)
        lock.broadcast()
    }

    func entries(of directory: String, identity: FileIdentity?) -> Result<[DirectoryEntry], TargetFailure> {
        FootprintScope.noteListing(directory)
        var known = identity
        if known == nil, let dir = target.fileInfo(directory, followLinks: true), dir.isDirectory {
            known = FileIdentity(device: dir.device, inode: dir.inode)
        }
        guard let key = known else { return target.directoryEntries(directory) }
        lock.lock()
        while true {
            if let cached = listings[key] {
                lock.unlock()
                return cached.expanded
            }
            if !inFlight.contains(key) { break }
            lock.wait()
        }
        if full {
            lock.unlock()
            return target.directoryEntries(directory)
        }
        inFlight.insert(key)
        lock.unlock()
        let listing = target.directoryEntries(directory)
        let compact = CompactListing(listing)
        lock.lock()
        store(compact, for: key)
        lock.unlock()
        return listing
    }

    func statResult(_ path: String, followLinks: Bool) -> Result<FileInfo, TargetFailure> {
        target.statResult(path, followLinks: followLinks)
    }

    /// Bytes of listings kept (for tests and benchmarks).
    var keptBytes: Int {
        lock.lock()
        defer { lock.unlock() }
        return used
    }
}

/// A directory to list ahead of the walks, and how many levels to crawl from it (-1: all).
struct ReadAhead {
    let path: String
    let identity: FileIdentity
    let depth: Int
}

/// A directory listing packed into three flat arrays (names, name ends, `lstat` data):
/// about 70 bytes an entry instead of several hundred for `[DirectoryEntry]`.
struct CompactListing {
    private var names: [UInt8] = []
    private var ends: [UInt32] = []
    private var infos: [FileInfo] = []
    /// Indexes of entries whose `lstat` failed (their `infos` slot is a placeholder).
    private var missing: Set<Int> = []
    private var failure: TargetFailure?

    init(_ listing: Result<[DirectoryEntry], TargetFailure>) {
        switch listing {
        case .failure(let f):
            failure = f
        case .success(let entries):
            ends.reserveCapacity(entries.count)
            infos.reserveCapacity(entries.count)
            for (i, e) in entries.enumerated() {
                names.append(contentsOf: e.name.utf8)
                ends.append(UInt32(names.count))
                if let info = e.info {
                    infos.append(info)
                } else {
                    missing.insert(i)
                    infos.append(FileInfo.placeholder)
                }
            }
        }
    }

    /// The entries that are directories on `device`, as paths under `directory`.
    func subdirectories(of directory: String, device: UInt64) -> [(path: String, identity: FileIdentity)] {
        guard failure == nil else { return [] }
        let base = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        var out: [(path: String, identity: FileIdentity)] = []
        var start = 0
        names.withUnsafeBufferPointer { buf in
            for i in 0..<ends.count {
                let end = Int(ends[i])
                defer { start = end }
                let info = infos[i]
                guard info.isDirectory, info.device == device, !missing.contains(i) else { continue }
                let name = String(decoding: UnsafeBufferPointer(rebasing: buf[start..<end]), as: UTF8.self)
                out.append((base + "/" + name, FileIdentity(device: info.device, inode: info.inode)))
            }
        }
        return out
    }

    /// Whether listing the directory failed.
    var failed: Bool { failure != nil }

    /// Approximate heap bytes held.
    var bytes: Int { names.count + ends.count * 4 + infos.count * MemoryLayout<FileInfo>.stride + missing.count * 16 }

    /// The listing as the walk reads it.
    var expanded: Result<[DirectoryEntry], TargetFailure> {
        if let failure { return .failure(failure) }
        var out: [DirectoryEntry] = []
        out.reserveCapacity(ends.count)
        var start = 0
        names.withUnsafeBufferPointer { buf in
            for i in 0..<ends.count {
                let end = Int(ends[i])
                let name = String(decoding: UnsafeBufferPointer(rebasing: buf[start..<end]), as: UTF8.self)
                out.append(DirectoryEntry(name: name, info: missing.contains(i) ? nil : infos[i]))
                start = end
            }
        }
        return .success(out)
    }
}

extension FileInfo {
    /// A stand-in for a missing `lstat` in packed storage; never handed out.
    static let placeholder = FileInfo(mode: 0, uid: 0, gid: 0, size: 0, device: 0, inode: 0,
                                      accessTime: 0, modifyTime: 0, changeTime: 0)
}
