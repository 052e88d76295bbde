import Foundation
import VigilCore
import VigilTarget

/// An image opened for scanning: the target its layers make and what names it.
public struct OpenedImage: Sendable {
    public let target: ImageTarget
    public var identity: ImageIdentity { target.identity }
}

/// Opens an image for scanning (`vigil scan --image REF`), with no daemon, no root and no
/// mount: the reference is resolved to its manifest and layers (`ImageSource`), and the
/// layers are read (`LayerReader`) lowest first, each entry applied (`LayerApplier`) to the
/// in-memory file system `ImageTarget` reads as it comes out of the stream: no layer's
/// entries are ever held as a list, so memory grows with the image's files, not its layers.
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

    /// The target the layers of `resolved` make, read lowest first and applied entry by
    /// entry as they stream; the fuzz target `fuzz-image-layer` enters here with layers of
    /// its own. An entry that cannot be applied is thrown once its layer has been read to
    /// its end and its digests checked: a layer whose digest does not match says that first.
    package static func assemble(_ resolved: ResolvedImage, image reference: String, limits: ImageLimits) throws -> ImageTarget {
        var identity = resolved.identity
        let spoolDirectory = SpoolFile.defaultDirectory()
        let now = Int64(Date().timeIntervalSince1970)
        let tree = ImageTree(rootTime: now)
        let applier = LayerApplier(tree: tree, now: now, image: reference, maxPathBytes: limits.maxPathBytes,
                                   maxFiles: limits.maxFiles)
        let budget = ExpansionBudget(limits: limits)
        var digests: [String] = []
        for layer in resolved.layers {
            var refused: (any Error)?
            digests.append(try LayerReader.read(layer, image: reference, budget: budget, spoolDirectory: spoolDirectory) { entry in
                guard refused == nil else { return }
                do { try applier.apply(entry, layer: layer.index, label: layer.label) } catch { refused = error }
            })
            if let refused { throw refused }
        }
        if identity.layers.isEmpty { identity.layers = digests }
        return ImageTarget(identity: identity, tree: tree, statisticsDirectory: spoolDirectory)
    }
}
