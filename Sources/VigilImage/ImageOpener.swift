import Foundation
import VigilCore
import VigilTarget

/// An image opened for scanning: the target its layers make and what names it.
public struct OpenedImage: Sendable {
    public let target: ImageTarget
    public var identity: ImageIdentity { target.identity }
}

/// Opens an image for scanning (`vigil scan --image REF`), with no daemon, no root and no
/// mount: the reference is resolved to its manifest and layers (`ImageSource`), the layers
/// are read (`LayerReader`) — at once, each on its own thread — and applied in order
/// (`LayerApplier`) to the in-memory file system `ImageTarget` reads.
///
/// Nothing is unpacked. An uncompressed layer is read where it lies; a compressed one is
/// decompressed once into a spool, a temporary file unlinked as soon as it is made, so the
/// only bytes written are the spools' and nothing is left behind, even if Vigil is killed.
public enum ImageOpener {
    /// Opens the image `reference` names, picking `platform` (`os/arch[/variant]`; nil: the
    /// scanning machine's) from a multi-platform index; `name` replaces the image's own name
    /// as the series its scans are kept under. Throws `ImageError` naming the image, the
    /// layer and the entry at fault.
    public static func open(_ reference: String, platform: String? = nil, name: String? = nil,
                            limits: ImageLimits = ImageLimits()) throws -> OpenedImage {
        let parsed = try ImageReference(parsing: reference)
        let wanted = try platform.map { try ImagePlatform(parsing: $0, image: reference) }
        var resolved = try ImageSource.resolve(parsed, platform: wanted, limits: limits)
        if let name, !name.isEmpty { resolved.identity.name = name }
        return OpenedImage(target: try assemble(resolved, image: reference, limits: limits))
    }

    /// The target the layers of `resolved` make (read and applied in order); the fuzz
    /// target `fuzz-image-layer` enters here with layers of its own.
    package static func assemble(_ resolved: ResolvedImage, image reference: String, limits: ImageLimits) throws -> ImageTarget {
        var resolved = resolved
        let spoolDirectory = SpoolFile.defaultDirectory()
        let now = Int64(Date().timeIntervalSince1970)
        let tree = ImageTree(rootTime: now)
        let applier = LayerApplier(tree: tree, now: now, image: reference, maxPathBytes: limits.maxPathBytes)
        var layers = try readLayers(resolved, image: reference, limits: limits, spoolDirectory: spoolDirectory,
                                    applyingLowest: applier)
        if resolved.identity.layers.isEmpty { resolved.identity.layers = layers.map { $0.digest } }
        for (i, layer) in resolved.layers.enumerated() {
            let entries = layers[i].entries
            layers[i].entries = []  // each layer's entries are freed once applied
            for entry in entries { try applier.apply(entry, layer: layer.index, label: layer.label) }
        }
        return ImageTarget(identity: resolved.identity, tree: tree, statisticsDirectory: spoolDirectory)
    }

    /// One layer read: its entries in stream order (none when they were applied as read),
    /// how many, and its stored digest.
    struct ReadLayer: Sendable {
        var entries: [LayerEntry]
        var count: Int
        var digest: String
    }

    /// Reads every layer, at most as many at once as the machine has cores; the first
    /// failure (lowest layer first) is thrown. The lowest layer's entries are applied with
    /// `applyingLowest` as they are read (the tree is free then), not kept: a one-layer
    /// image never holds its entries twice. An error applying one is thrown once the layer
    /// is read, unless reading it failed (a digest that does not match says more). Entries
    /// past `limits.maxEntries` over all layers are an error.
    static func readLayers(_ image: ResolvedImage, image reference: String, limits: ImageLimits,
                           spoolDirectory: String, applyingLowest applier: LayerApplier) throws -> [ReadLayer] {
        let budget = ExpansionBudget(limits: limits)
        let results = LayerResults(count: image.layers.count)
        DispatchQueue.concurrentPerform(iterations: image.layers.count) { i in
            results.set(i, Result {
                let layer = image.layers[i]
                var entries: [LayerEntry] = []
                var count = 0
                var applyError: (any Error)?
                let digest = try LayerReader.read(layer, image: reference, budget: budget, spoolDirectory: spoolDirectory) {
                    count += 1
                    guard i == 0 else { return entries.append($0) }
                    guard applyError == nil else { return }
                    do { try applier.apply($0, layer: layer.index, label: layer.label) } catch { applyError = error }
                }
                if let applyError { throw applyError }
                return ReadLayer(entries: entries, count: count, digest: digest)
            })
        }
        let layers = try results.all()
        let total = layers.reduce(0) { $0 + $1.count }
        guard total <= limits.maxEntries else {
            throw ImageError(image: reference, message: "the layers hold \(total) entries, over the limit of \(limits.maxEntries)")
        }
        return layers
    }
}

/// The outcome of each layer's reading, filled from several threads.
private final class LayerResults: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Result<ImageOpener.ReadLayer, any Error>?]

    init(count: Int) { results = Array(repeating: nil, count: count) }

    func set(_ i: Int, _ result: Result<ImageOpener.ReadLayer, any Error>) {
        lock.lock()
        results[i] = result
        lock.unlock()
    }

    /// Every layer in order, or the lowest layer's error.
    func all() throws -> [ImageOpener.ReadLayer] {
        lock.lock()
        defer { lock.unlock() }
        return try results.map { try $0!.get() }
    }
}
