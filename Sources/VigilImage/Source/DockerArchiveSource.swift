import VigilCore

/// Resolves an image in a docker-archive (`docker save`, `podman save`, `skopeo copy ...
/// docker-archive:`), read in place: manifest.json's item by RepoTag (normalised as Docker
/// does), by position (`@N`), or as the only one; its config and layers (`<id>/layer.tar`,
/// `<hex>.tar` or `blobs/sha256/<hex>`) located inside the archive. There is no image
/// manifest in such an archive, so the identity has no manifest digest; the config digest
/// (Docker's image ID) names the image.
struct DockerArchiveSource {
    let reference: ImageReference
    let reader: MetadataReader

    init(reference: ImageReference, limits: ImageLimits) throws(ImageError) {
        self.reference = reference
        let index = try ArchiveIndex(path: reference.path, image: reference.original, limits: limits)
        reader = MetadataReader(image: reference.original, store: .archive(index), limits: limits)
    }

    func resolve(platform: ImagePlatform, explicit: Bool) throws(ImageError) -> ResolvedImage {
        guard let items = try reader.readFile("manifest.json", as: [DockerArchiveItem].self) else {
            throw ImageError(image: reader.image, message: "\(reference.path) is not a docker-archive (no manifest.json)")
        }
        let (item, repoTag) = try select(in: items)
        let configDigest = try configDigest(item.Config)
        let configBytes = try reader.read(try locate(item.Config, what: "config"), name: item.Config)
        let actual = BlobDigest.sha256(configBytes)
        guard configDigest == nil || actual == configDigest else {
            throw ImageError(image: reader.image, message: "config \(item.Config) does not match its digest (its content is \(actual))")
        }
        let config = try reader.decode(configBytes, as: ImageConfig.self, name: item.Config)
        if explicit { try ManifestResolver.check(config, asked: platform, image: reader.image) }
        let layers = try layers(of: item, config: config)
        let (name, tag) = repoTag.map { DockerReferenceName.splitTag($0) } ?? (reference.path, nil)
        let identity = ImageIdentity(
            reference: reference.normalized, name: name, tag: tag, manifestDigest: nil, configDigest: actual,
            os: config.os ?? "", architecture: config.architecture ?? "", variant: config.variant,
            layers: layers.compactMap { $0.digest ?? $0.diffID })
        return ResolvedImage(identity: identity, layers: layers)
    }

    /// The item the reference selects, with the RepoTag that names it (the first one when the
    /// reference names none).
    private func select(in items: [DockerArchiveItem]) throws(ImageError) -> (DockerArchiveItem, String?) {
        let tags = items.flatMap { $0.RepoTags ?? [] }
        let listed = tags.isEmpty ? "no RepoTags" : "RepoTags: " + tags.joined(separator: ", ")
        switch reference.selector {
        case .dockerTag(let wanted):
            for item in items {
                for tag in item.RepoTags ?? [] where (try? DockerReferenceName(parsing: tag))?.canonical == wanted.canonical {
                    return (item, tag)
                }
            }
            throw ImageError(image: reader.image, message: "no image tagged '\(wanted.raw)' (\(wanted.canonical)) "
                + "in \(reference.path) (\(listed))")
        case .index(let n):
            guard n < items.count else {
                throw ImageError(image: reader.image, message: "index @\(n) is out of range: manifest.json holds \(items.count) images")
            }
            return (items[n], items[n].RepoTags?.first)
        case .name, nil:
            guard items.count == 1 else {
                throw ImageError(image: reader.image, message: items.isEmpty ? "manifest.json holds no image"
                    : "manifest.json holds \(items.count) images; name one as docker-archive:PATH:NAME:TAG "
                    + "or docker-archive:PATH:@N (\(listed))")
            }
            return (items[0], items[0].RepoTags?.first)
        }
    }

    /// The digest a config's name states (`<hex>.json`, `blobs/sha256/<hex>`), when it states one.
    private func configDigest(_ path: String) throws(ImageError) -> String? {
        let base = path.split(separator: "/").last.map(String.init) ?? path
        if path.hasPrefix("blobs/sha256/") { return "sha256:" + (try BlobDigest.hex("sha256:" + base, image: reader.image)) }
        guard base.hasSuffix(".json") else { return nil }
        let hex = String(base.dropLast(5))
        return (try? BlobDigest.hex("sha256:" + hex, image: reader.image)).map { "sha256:" + $0 }
    }

    private func locate(_ path: String, what: String) throws(ImageError) -> BlobLocation {
        guard let location = try reader.store.location(of: path, image: reader.image) else {
            throw ImageError(image: reader.image, message: "\(what) \(path) is missing from the archive")
        }
        return location
    }

    /// The items' layers with the config's diff_ids; the stored digest is known only for
    /// `blobs/sha256/<hex>` members (else the layer reader checks the diff ID alone).
    private func layers(of item: DockerArchiveItem, config: ImageConfig) throws(ImageError) -> [LayerBlob] {
        let diffIDs = config.rootfs?.diff_ids ?? []
        guard diffIDs.count == item.Layers.count else {
            throw ImageError(image: reader.image, message: "config \(item.Config) lists \(diffIDs.count) diff_ids "
                + "for \(item.Layers.count) layers in manifest.json")
        }
        try ManifestResolver.checkLayerCount(item.Layers.count, image: reader.image)
        var out: [LayerBlob] = []
        for (i, path) in item.Layers.enumerated() {
            _ = try BlobDigest.hex(diffIDs[i], image: reader.image)
            let digest = path.hasPrefix("blobs/sha256/")
                ? "sha256:" + (try BlobDigest.hex("sha256:" + path.dropFirst("blobs/sha256/".count), image: reader.image))
                : nil
            let location = try locate(path, what: "layer \(i + 1)")
            out.append(LayerBlob(index: i, digest: digest, diffID: diffIDs[i], mediaType: "", location: location,
                                 compression: nil))
        }
        return out
    }
}
