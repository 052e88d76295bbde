/// Follows a descriptor through image indexes and manifest lists (nested at most
/// `maxIndexDepth` deep) to the one image manifest for a platform, then reads its config and
/// locates its layers. Index entries without a platform or with `unknown/unknown`
/// (attestations, signatures) are never chosen.
struct ManifestResolver {
    /// An image manifest with its config, read and verified.
    struct Chosen {
        var manifestDigest: String
        var manifest: ImageManifest
        var configDigest: String
        var config: ImageConfig
    }

    static let maxIndexDepth = 4
    /// The most layers an image may have (Docker and overlayfs stop near 128; each layer
    /// located in a layout directory holds a descriptor open).
    static let maxLayers = 1000

    static func checkLayerCount(_ count: Int, image: String) throws(ImageError) {
        guard count <= maxLayers else {
            throw ImageError(image: image, message: "the image has \(count) layers, over the limit of \(maxLayers)")
        }
    }

    let reader: MetadataReader
    /// The platform asked for; `explicit` when `--platform` named it (else the host's).
    let platform: ImagePlatform
    let explicit: Bool

    /// The image manifest `entries` lead to, with its config: the one entry's (whatever its
    /// platform), or, when a name selects several entries of index.json, the one for the
    /// platform, as in an index. An error when no entry of an index fits the platform
    /// (listing those present), or when `--platform` asked for another platform than a single
    /// image's config records.
    func choose(_ entries: [ContentDescriptor]) throws(ImageError) -> Chosen {
        var seen: [String] = []
        let found = entries.count == 1
            ? try follow(entries[0], depth: 0, viaIndex: false, seen: &seen)
            : try pick(from: entries, depth: 0, seen: &seen)
        guard let found else {
            let present = seen.isEmpty ? "none" : seen.joined(separator: ", ")
            throw ImageError(image: reader.image, message: "no image for platform \(platform) in the index "
                + "(platforms present: \(present)); choose one with --platform")
        }
        return found
    }

    /// The first entry fitting the platform (indexes without a platform are looked into).
    private func pick(from entries: [ContentDescriptor], depth: Int, seen: inout [String]) throws(ImageError) -> Chosen? {
        for entry in entries {
            let entryPlatform = entry.platform?.platform
            if let entryPlatform { seen.append(entryPlatform.description) }
            let isIndex = entry.mediaType.map(ImageMediaType.isIndex) ?? false
            guard entryPlatform.map(platform.accepts) ?? isIndex else { continue }
            if let chosen = try follow(entry, depth: depth, viaIndex: true, seen: &seen) { return chosen }
        }
        return nil
    }

    private func follow(_ descriptor: ContentDescriptor, depth: Int, viaIndex: Bool,
                        seen: inout [String]) throws(ImageError) -> Chosen? {
        let (probe, bytes) = try reader.readBlob(descriptor, as: KindProbe.self, what: "manifest")
        let type = descriptor.mediaType ?? probe.mediaType ?? (probe.manifests != nil ? ImageMediaType.ociIndex : ImageMediaType.ociManifest)
        if ImageMediaType.isIndex(type) {
            guard depth < ManifestResolver.maxIndexDepth else {
                throw ImageError(image: reader.image, message: "image indexes nested more than "
                    + "\(ManifestResolver.maxIndexDepth) deep (at \(descriptor.digest))")
            }
            let index = try reader.decode(bytes, as: ImageIndex.self, name: "index \(descriptor.digest)")
            return try pick(from: index.manifests, depth: depth + 1, seen: &seen)
        }
        guard ImageMediaType.isManifest(type) else {
            throw ImageError(image: reader.image, message: "manifest \(descriptor.digest) has media type '\(type)', "
                + "not an OCI or Docker schema 2 image manifest or index")
        }
        let manifest = try reader.decode(bytes, as: ImageManifest.self, name: "manifest \(descriptor.digest)")
        let (config, _) = try reader.readBlob(manifest.config, as: ImageConfig.self, what: "config")
        if !viaIndex, explicit {
            try ManifestResolver.check(config, asked: platform, image: reader.image)
        }
        return Chosen(manifestDigest: descriptor.digest, manifest: manifest, configDigest: manifest.config.digest,
                      config: config)
    }

    /// An error when the config records another platform than `--platform` asked for.
    static func check(_ config: ImageConfig, asked: ImagePlatform, image: String) throws(ImageError) {
        let recorded = ImagePlatform(os: config.os ?? "", architecture: config.architecture ?? "", variant: config.variant)
        guard asked.accepts(recorded) else {
            throw ImageError(image: image, message: "the image is for \(recorded), not \(asked) as --platform asks")
        }
    }

    /// The layers of a chosen manifest, located in the store, with their diff IDs and
    /// compression; an error for a missing blob, an unknown layer type or a diff_ids count
    /// that is not the layer count.
    func layers(of chosen: Chosen) throws(ImageError) -> [LayerBlob] {
        let diffIDs = chosen.config.rootfs?.diff_ids ?? []
        guard diffIDs.count == chosen.manifest.layers.count else {
            throw ImageError(image: reader.image, message: "config \(chosen.configDigest) lists \(diffIDs.count) diff_ids "
                + "for \(chosen.manifest.layers.count) layers in manifest \(chosen.manifestDigest)")
        }
        try ManifestResolver.checkLayerCount(chosen.manifest.layers.count, image: reader.image)
        var out: [LayerBlob] = []
        for (i, descriptor) in chosen.manifest.layers.enumerated() {
            let type = descriptor.mediaType ?? ""
            guard let compression = ImageMediaType.layerCompression(type) else {
                throw ImageError(image: reader.image, message: "layer \(i + 1) (\(descriptor.digest)) has media type "
                    + "'\(type)', not an image layer (tar, tar+gzip or tar+zstd)")
            }
            let location = try reader.locateBlob(descriptor.digest, size: descriptor.size, what: "layer \(i + 1)")
            _ = try BlobDigest.hex(diffIDs[i], image: reader.image)
            out.append(LayerBlob(index: i, digest: descriptor.digest, diffID: diffIDs[i], mediaType: type,
                                 location: location, compression: compression))
        }
        return out
    }
}

/// Just enough of a manifest or index to tell which it is when its descriptor has no media type.
private struct KindProbe: Decodable {
    var mediaType: String?
    var manifests: [ContentDescriptor]?
}
