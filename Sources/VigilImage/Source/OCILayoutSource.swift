import Foundation
import VigilCore

/// Resolves an image in an OCI image layout, as a directory (`oci:`) or as a tar of one read
/// in place (`oci-archive:`): picks the manifest of index.json by name
/// (`org.opencontainers.image.ref.name`), by position, or as the only one.
struct OCILayoutSource {
    let reference: ImageReference
    let reader: MetadataReader

    init(reference: ImageReference, limits: ImageLimits) throws(ImageError) {
        self.reference = reference
        let image = reference.original
        let store: ImageStore
        if reference.transport == .oci {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: reference.path, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ImageError(image: image, message: "\(reference.path) is not a directory (an OCI image layout)")
            }
            store = .directory(reference.path)
        } else {
            store = .archive(try ArchiveIndex(path: reference.path, image: image, limits: limits))
        }
        reader = MetadataReader(image: image, store: store, limits: limits)
    }

    func resolve(platform: ImagePlatform, explicit: Bool) throws(ImageError) -> ResolvedImage {
        guard try reader.store.location(of: "oci-layout", image: reader.image) != nil else {
            throw ImageError(image: reader.image, message: "\(reference.path) is not an OCI image layout (no oci-layout file)")
        }
        guard let index = try reader.readFile("index.json", as: ImageIndex.self) else {
            throw ImageError(image: reader.image, message: "\(reference.path) is not an OCI image layout (no index.json)")
        }
        let entries = try select(in: index)
        let resolver = ManifestResolver(reader: reader, platform: platform, explicit: explicit)
        let chosen = try resolver.choose(entries)
        let layers = try resolver.layers(of: chosen)
        let (name, tag) = OCILayoutSource.nameAndTag(entries[0], layoutPath: reference.path)
        let identity = ImageIdentity(
            reference: reference.normalized, name: name, tag: tag, manifestDigest: chosen.manifestDigest,
            configDigest: chosen.configDigest, os: chosen.config.os ?? "", architecture: chosen.config.architecture ?? "",
            variant: chosen.config.variant, layers: layers.compactMap(\.digest))
        return ResolvedImage(identity: identity, layers: layers)
    }

    /// The index.json entries the reference selects: one, or all those a name is given to.
    private func select(in index: ImageIndex) throws(ImageError) -> [ContentDescriptor] {
        let names = index.manifests.map { $0.refName ?? $0.digest }.joined(separator: ", ")
        switch reference.selector {
        case .name(let name):
            let found = index.manifests.filter { $0.refName == name }
            guard !found.isEmpty else {
                throw ImageError(image: reader.image, message: "no image named '\(name)' in \(reference.path) "
                    + "(names present: \(names.isEmpty ? "none" : names))")
            }
            return found
        case .index(let n):
            guard n < index.manifests.count else {
                throw ImageError(image: reader.image, message: "index @\(n) is out of range: index.json holds "
                    + "\(index.manifests.count) manifests")
            }
            return [index.manifests[n]]
        case .dockerTag, nil:
            guard index.manifests.count == 1 else {
                throw ImageError(image: reader.image, message: index.manifests.isEmpty
                    ? "index.json holds no image"
                    : "index.json holds \(index.manifests.count) images; name one (\(names)) as \(reference.transport.rawValue):PATH:NAME")
            }
            return [index.manifests[0]]
        }
    }

    /// The series name and tag of an image from its index.json entry: a full reference in
    /// its `org.opencontainers.image.ref.name` (`docker.io/library/debian:12`) or, for a bare
    /// tag there, in containerd's `io.containerd.image.name` (what `docker save` writes) gives
    /// its repository and tag; a bare tag (`latest`) alone gives the layout's path and that tag.
    static func nameAndTag(_ entry: ContentDescriptor, layoutPath: String) -> (String, String?) {
        func isFull(_ name: String) -> Bool { name.contains("/") || name.contains(":") }
        let refName = entry.refName
        if let full = [refName, entry.annotations?["io.containerd.image.name"]].compactMap({ $0 }).first(where: isFull) {
            let (repository, tag) = DockerReferenceName.splitTag(full)
            return (repository, tag ?? refName)
        }
        return (layoutPath, refName)
    }
}
