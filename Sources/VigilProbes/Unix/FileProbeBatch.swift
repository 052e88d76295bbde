import VigilOVAL

/// File objects that walk the same tree are collected in one traversal: objects whose
/// runs have the same `path` and behaviors (recursing down) share a walk, each with its
/// own `filename`, and a file selected by several of them becomes one item that each
/// object's filters then judge.
extension FileProbe: BatchingProbe {
    package func batchKey(_ object: ResolvedObject, context: ProbeContext) -> String? {
        let variants = FileWalkVariants.expand(object)
        guard !variants.isEmpty else { return nil }
        var parts: [String] = []
        for variant in variants {
            guard let request = try? FileWalkRequest(variant: variant), let key = request.sharedWalkKey else { return nil }
            parts.append(key)
        }
        return parts.joined(separator: "\n")
    }

    package func collect(batch objects: [ResolvedObject], context: ProbeContext) -> [CollectedObject] {
        let variants = objects.map(FileWalkVariants.expand)
        guard let runs = variants.first?.count, variants.allSatisfy({ $0.count == runs }) else {
            return objects.map { collect($0, context: context) }
        }
        var collections = Array(repeating: FileProbeCollection(budget: context.itemBudget), count: objects.count)
        let source = FileWalk.source(for: context)
        for run in 0..<runs {
            var members: [Int] = []
            var filenames: [FileWalkEntity?] = []
            var shared: FileWalkRequest?
            for i in objects.indices {
                guard let request = collections[i].request({ try FileWalkRequest(variant: variants[i][run]) }),
                      case .path(_, let filename) = request.selection else { continue }
                shared = shared ?? request
                members.append(i)
                filenames.append(filename)
            }
            guard let shared else { continue }
            // Selections of one node arrive one after another: the judge builds its item once.
            let judge = FileItemJudge(objects: members.map { objects[$0] }, context: context)
            let reports = FileWalk.walk(shared, filenames: filenames, source: source, spelling: context.target.pathSpelling,
                                        walkKey: shared.sharedWalkKey) { k, entry in
                if !collections[members[k]].isFull, let item = judge.kept(entry, by: k) { collections[members[k]].add(item) }
            }
            for (k, report) in reports.enumerated() { collections[members[k]].absorb(report) }
        }
        return collections.map(\.result)
    }
}

extension FileProbe {
    /// Announces the walks of a planned batch to the scan's shared source, so that the
    /// walks that run first keep for it the listings of its tree.
    package func planned(batch objects: [ResolvedObject], context: ProbeContext) {
        let source = FileWalk.source(for: context)
        var announced: Set<String> = []
        for variant in objects.flatMap(FileWalkVariants.expand) {
            guard let request = try? FileWalkRequest(variant: variant), let key = request.sharedWalkKey,
                  !announced.contains(key), case .path(let path, _) = request.selection, path.operation == .equals,
                  let info = source.info(FileWalker.spelled(path.value, context.target.pathSpelling), followLinks: true),
                  info.isDirectory else { continue }
            announced.insert(key)
            source.announceWalk(key: key, root: FileIdentity(device: info.device, inode: info.inode))
        }
    }
}

extension FileWalkRequest {
    /// What a walk that several objects can share depends on (the `path` entity and the
    /// behaviors, not `filename`); nil for walks that do not recurse down, which are cheap.
    var sharedWalkKey: String? {
        guard behaviors.direction == .down, case .path(let path, _) = selection else { return nil }
        let e = path.entity
        let entity = [e.entity.operation.rawValue, e.entity.datatype.rawValue, e.entity.varRef == nil ? "" : "var",
                      "\(e.entity.varCheck)", path.value] + e.values
        return entity.joined(separator: "\u{1}") + "\u{2}\(behaviors)"
    }
}
