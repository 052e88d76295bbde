import VigilOVAL

/// yamlfilecontent objects that select the same files are collected together, as the
/// SCAP Security Guide's Kubernetes and OpenShift content asks many paths of one
/// configuration file or API dump: each file is read and parsed once for the batch and
/// every path asked of it is evaluated in that one pass (`YAMLDocumentResults`). Each
/// object is then collected as it is alone (its walks, items and messages), with the
/// records taken from that pass.
extension YAMLFileContentProbe: BatchingProbe {
    /// The walks the object's runs make (its `filepath`, or `path` and `filename`, and
    /// behaviors), not its YAML Paths; nil for objects that read `content` or no file.
    package func batchKey(_ object: ResolvedObject, context: ProbeContext) -> String? {
        guard object.entity("yamlpath") != nil, object.entity("content") == nil else { return nil }
        var walks: Set<String> = []
        for variant in FileWalkVariants.expand(object) {
            guard let request = try? FileWalkRequest(object: variant) else { return nil }
            walks.insert(Self.walkKey(request))
        }
        return walks.isEmpty ? nil : walks.sorted().joined(separator: "\n")
    }

    package func collect(batch objects: [ResolvedObject], context: ProbeContext) -> [CollectedObject] {
        var probe = self
        probe.documents = YAMLDocumentResults(reading: Self.documents(of: objects, context: context), target: context.target)
        return objects.map { probe.collect($0, context: context) }
    }

    /// Each file the runs of `objects` select, in walk order, with the distinct YAML Paths
    /// asked of it.
    static func documents(of objects: [ResolvedObject], context: ProbeContext) -> [(filepath: String, yamlPaths: [String])] {
        let source = FileWalk.source(for: context)
        var order: [String] = []
        var paths: [String: [String]] = [:]
        for object in objects where object.entity("yamlpath") != nil {
            for variant in FileWalkVariants.expand(object) {
                guard variant.entity("content") == nil, let yamlPath = variant.entity("yamlpath")?.values.first,
                      let request = try? FileWalkRequest(object: variant) else { continue }
                FileWalk.walk(request, source: source, spelling: context.target.pathSpelling) { entry in
                    guard entry.filename != nil, entry.kind == .regular || entry.kind == .symlink else { return }
                    let filepath = entry.filepath
                    if paths[filepath] == nil { order.append(filepath) }
                    if paths[filepath, default: []].contains(yamlPath) { return }
                    paths[filepath, default: []].append(yamlPath)
                }
            }
        }
        return order.map { ($0, paths[$0]!) }
    }

    /// What selects a run's files: the entities' operations and values, and the behaviors.
    private static func walkKey(_ request: FileWalkRequest) -> String {
        func entity(_ e: FileWalkEntity?) -> String {
            guard let e else { return "nil" }
            return ([e.operation.rawValue, e.value] + e.entity.values).joined(separator: "\u{1}")
        }
        switch request.selection {
        case .filepath(let filepath):
            return "f\u{2}" + entity(filepath) + "\u{2}\(request.behaviors)"
        case .path(let path, let filename):
            return "p\u{2}" + entity(path) + "\u{2}" + entity(filename) + "\u{2}\(request.behaviors)"
        }
    }
}
