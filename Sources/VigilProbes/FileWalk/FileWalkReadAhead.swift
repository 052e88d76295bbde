import Foundation
import VigilCore

/// A directory to list ahead of a walk, how many levels to crawl from it (-1: all), and
/// the walks that will read its listing (the walk it is read for, and the other
/// unfinished walks whose trees hold it).
struct ReadAhead {
    let path: String
    let identity: FileIdentity
    let depth: Int
    let readers: [Int]
}

/// Reading ahead: background workers list the directories a walk is about to enter, so
/// that the walk finds them listed.
extension FileWalkSharedSource {
    func willEnter(_ directories: [(path: String, identity: FileIdentity)], depth: Int, reader: FileWalkReader?) {
        guard maxWorkers > 0, !directories.isEmpty, depth != 0, let reader else { return }
        lock.lock()
        guard aheadUsed < aheadBudget else { lock.unlock(); return }
        let others = reader.interest.filter { $0 != reader.walk }
        push(directories.map {
            ReadAhead(path: $0.path, identity: $0.identity, depth: depth, readers: readers([reader.walk] + others, of: $0.identity))
        })
        let start = min(maxWorkers - workers, ahead.count)
        workers += max(0, start)
        lock.unlock()
        // Not attributed: each walk records the listings it uses (`entries(of:identity:reader:)`).
        let recorder = FootprintScope.current?.recorder
        for _ in 0..<max(0, start) {
            // A thread of its own, not Dispatch's pool: the pool is as wide as the machine
            // and its threads are busy walking and evaluating, so a lister queued there would
            // wait for them; listing is mostly blocked in system calls.
            Thread.detachNewThread { [self] in FootprintScope.within(recorder, node: FootprintScope.ignoredNode) { readAheadLoop() } }
        }
    }

    /// `readers` and the walks rooted at `directory` that are not among them. Call locked.
    private func readers(_ readers: [Int], of directory: FileIdentity) -> [Int] {
        var all = readers
        for walk in registry.walks(rootedAt: directory) where !all.contains(walk) { all.append(walk) }
        return all
    }

    /// Queues directories to read ahead, the first to be read first. Call locked.
    private func push(_ directories: [ReadAhead]) {
        // Each directory is queued once: by the walk announcing it, or by a worker that
        // listed its parent (a second entry would list it again after the walk read it).
        for d in directories.reversed()
        where kept[d.identity] == nil && !inFlight.contains(d.identity) && queued[d.identity] == nil {
            ahead.append(d)
            queued[d.identity, default: 0] += 1
        }
        if ahead.count > Self.aheadLimit {
            for d in ahead.prefix(ahead.count - Self.aheadLimit) { unqueue(d.identity) }
            ahead.removeFirst(ahead.count - Self.aheadLimit)
        }
    }

    /// The next directory to read ahead, if any. Call locked.
    private func pop() -> ReadAhead? {
        while let next = ahead.popLast() {
            // A walk got there first and listed it itself: its subtree is the walk's to announce.
            let skip = passed.contains(next.identity)
            unqueue(next.identity)
            if skip { continue }
            return next
        }
        return nil
    }

    private func unqueue(_ identity: FileIdentity) {
        guard let n = queued[identity] else { return }
        if n <= 1 {
            queued[identity] = nil
            passed.remove(identity)
        } else {
            queued[identity] = n - 1
        }
    }

    /// A walk is listing `identity` itself: reading it ahead later would list it twice.
    /// Call locked.
    func passedBy(_ identity: FileIdentity) {
        if queued[identity] != nil { passed.insert(identity) }
    }

    /// One background lister: lists waiting directories, newest first, queueing their
    /// subdirectories, until none is left or the read-ahead budget is spent (the next walk
    /// that descends starts listing again).
    private func readAheadLoop() {
        lock.lock()
        while aheadUsed < aheadBudget, let next = pop() {
            if kept[next.identity] != nil || inFlight.contains(next.identity) { continue }
            if registry.unfinished(next.readers).isEmpty { continue }
            inFlight.insert(next.identity)
            lock.unlock()
            let listing = target.directoryEntries(next.path)
            var children: [(path: String, identity: FileIdentity)] = []
            if next.depth != 1, case .success(let entries) = listing {
                children = FileWalkSharedSource.subdirectories(entries, of: next.path, device: next.identity.device)
            }
            let cost = KeptListing.cost(listing)
            lock.lock()
            keep(listing, cost: cost, for: next.identity, readers: next.readers, readAheadFor: next.readers.first)
            push(children.map {
                ReadAhead(path: $0.path, identity: $0.identity, depth: next.depth - 1, readers: readers(next.readers, of: $0.identity))
            })
        }
        workers -= 1
        lock.unlock()
    }

    /// The entries that are directories on `device`, as paths under `directory`.
    static func subdirectories(_ entries: [DirectoryEntry], of directory: String,
                               device: UInt64) -> [(path: String, identity: FileIdentity)] {
        let base = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        var out: [(path: String, identity: FileIdentity)] = []
        for e in entries {
            guard let info = e.info, info.isDirectory, info.device == device else { continue }
            out.append((base + "/" + e.name, FileIdentity(device: info.device, inode: info.inode)))
        }
        return out
    }
}
