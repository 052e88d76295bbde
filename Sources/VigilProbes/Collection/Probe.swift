// Every user of the probes reads through targets: `import VigilProbes` brings them.
@_exported import VigilCore
@_exported import VigilTarget
import VigilOVAL

/// Collects items for one or more OVAL object types.
public protocol Probe: Sendable {
    /// Object element names this probe answers, e.g. `["textfilecontent54_object"]`.
    var objectTypes: [String] { get }
    /// Collects the items of `object` from `context.target`.
    func collect(_ object: ResolvedObject, context: ProbeContext) -> CollectedObject
    /// What the target must answer for objects of `objectType` to be collected (see
    /// `OfflinePolicy`, which `ProbeCollector` applies when the target cannot). Default: nothing
    /// beyond reading files.
    func needs(for objectType: String) -> TargetCapabilities
}

extension Probe {
    package func needs(for objectType: String) -> TargetCapabilities { [] }
}

/// A probe that can collect several objects in one pass, such as file objects that walk
/// the same tree.
public protocol BatchingProbe: Probe {
    /// Objects with equal keys can be collected together; nil: collect this one alone.
    func batchKey(_ object: ResolvedObject, context: ProbeContext) -> String?
    /// Collects objects that share a batch key; one result per object, in order. Each
    /// result must be what `collect` gives for that object alone.
    func collect(batch objects: [ResolvedObject], context: ProbeContext) -> [CollectedObject]
    /// These objects will be collected as one batch later in the scan. The default does nothing.
    func planned(batch objects: [ResolvedObject], context: ProbeContext)
}

extension BatchingProbe {
    public func planned(batch objects: [ResolvedObject], context: ProbeContext) {}
}

/// What every probe shares during one scan: the target and per-scan caches.
public final class ProbeContext: @unchecked Sendable {
    public let target: any Target
    /// Per-scan caches (package databases, unit data, file contents, ...), keyed by name.
    public let cache = ScanCache()

    /// Item field names the content compares or reads (state entities, object components);
    /// nil means all. A probe may leave out a costly field no one uses.
    public let fieldsInUse: Set<String>?

    /// How much one object may collect (see `ItemBudget`).
    public let itemBudget: ItemBudget

    public init(target: any Target, fieldsInUse: Set<String>? = nil, itemBudget: ItemBudget = .standard) {
        self.target = target
        self.fieldsInUse = fieldsInUse
        self.itemBudget = itemBudget
    }

    /// Whether the content may look at item field `name`.
    public func uses(_ name: String) -> Bool { fieldsInUse?.contains(name) ?? true }

    /// Files up to this size are read once per scan and shared by every object that reads them.
    public static let sharedReadLimit = 1 << 20

    /// The content of a file, read once per scan when it is small (configuration files
    /// are read by many objects); larger files are read each time and not kept.
    public func readFile(_ path: String) throws -> [UInt8] {
        let result: Result<[UInt8], TargetFailureBox> = cache.value("file:" + path) {
            guard let info = target.fileInfo(path), info.size <= Int64(Self.sharedReadLimit) else {
                return .failure(TargetFailureBox(error: nil))
            }
            do { return .success(try target.readFile(path)) } catch { return .failure(TargetFailureBox(error: error)) }
        }
        switch result {
        case .success(let bytes): return bytes
        case .failure(let box):
            if let error = box.error { throw error }
            return try target.readFile(path)   // large or unstat-able: read directly, uncached
        }
    }
}

/// An error kept in the per-scan file cache (nil: not cached, read directly).
struct TargetFailureBox: Error {
    let error: (any Error)?
}
