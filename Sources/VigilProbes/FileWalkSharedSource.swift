import Foundation

/// The directory listings of one scan, shared by every recursive file object: each
/// directory is listed (and its entries `lstat`ed) once, however many objects walk it and
/// by whatever path (listings are kept by device and inode, so `/lib/x` and `/usr/lib/x`
/// on a merged-/usr system are one listing).
///
/// Memory stays bounded: listings are kept until they reach `budget` bytes; past that,
/// further directories are listed for each walk that needs them and not kept, so a tree
/// far larger than the budget costs repeated reads, never unbounded memory.
final class FileWalkSharedSource: FileWalkSource, @unchecked Sendable {
    let target: Target
    let budget: Int
    private let lock = NSCondition()
    private var listings: [FileIdentity: CompactListing] = [:]
    /// Directories being listed right now: a second walk waits for the first listing.
    private var inFlight: Set<FileIdentity> = []
    private var used = 0

    /// Listings kept by default (`VIGIL_WALK_CACHE_MB` overrides): enough for a few
    /// hundred thousand files.
    static let defaultBudget: Int = {
        if let mb = ProcessInfo.processInfo.environment["VIGIL_WALK_CACHE_MB"].flatMap(Int.init), mb >= 0 { return mb << 20 }
        return 48 << 20
    }()

    init(target: Target, budget: Int = FileWalkSharedSource.defaultBudget) {
        self.target = target
        self.budget = budget
    }

    func entries(of directory: String, identity: FileIdentity?) -> Result<[DirectoryEntry], TargetFailure> {
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
        if used >= budget {
            lock.unlock()
            return target.directoryEntries(directory)
        }
        inFlight.insert(key)
        lock.unlock()
        let listing = target.directoryEntries(directory)
        let compact = CompactListing(listing)
        let cost = 64 + compact.bytes
        lock.lock()
        if used + cost <= budget {
            listings[key] = compact
            used += cost
        }
        inFlight.remove(key)
        lock.broadcast()
        lock.unlock()
        return listing
    }

    func info(_ path: String, followLinks: Bool) -> FileInfo? {
        target.fileInfo(path, followLinks: followLinks)
    }

    /// Bytes of listings kept (for tests and benchmarks).
    var keptBytes: Int {
        lock.lock()
        defer { lock.unlock() }
        return used
    }
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
