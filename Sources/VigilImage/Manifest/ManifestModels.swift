/// A content descriptor (OCI and Docker schema 2 alike): what a manifest or index points to.
public struct ContentDescriptor: Codable, Sendable, Equatable {
    public var mediaType: String?
    public var digest: String
    public var size: Int64
    public var annotations: [String: String]?
    public var platform: PlatformField?

    /// The `org.opencontainers.image.ref.name` annotation (the name in an OCI layout).
    public var refName: String? { annotations?["org.opencontainers.image.ref.name"] }
}

/// A descriptor's `platform` (the `os.version`/`os.features` fields are not used).
public struct PlatformField: Codable, Sendable, Equatable {
    public var os: String?
    public var architecture: String?
    public var variant: String?

    /// The platform, or nil when it is missing or `unknown/unknown` (attestations, signatures).
    public var platform: ImagePlatform? {
        guard let os, let architecture, !os.isEmpty, !architecture.isEmpty,
              os != "unknown", architecture != "unknown" else { return nil }
        return ImagePlatform(os: os, architecture: architecture, variant: variant.flatMap { $0.isEmpty ? nil : $0 })
    }
}

/// An OCI image index or a Docker manifest list (same shape), and an OCI layout's index.json.
public struct ImageIndex: Codable, Sendable {
    public var schemaVersion: Int?
    public var mediaType: String?
    public var manifests: [ContentDescriptor]
}

/// An OCI image manifest or a Docker schema 2 manifest (same shape).
public struct ImageManifest: Codable, Sendable {
    public var schemaVersion: Int?
    public var mediaType: String?
    public var config: ContentDescriptor
    public var layers: [ContentDescriptor]
}

/// The parts of an image config Vigil uses (OCI and Docker alike).
public struct ImageConfig: Codable, Sendable {
    /// `rootfs`: the uncompressed layers' digests, lowest first.
    public struct RootFS: Codable, Sendable {
        public var type: String?
        public var diff_ids: [String]?
    }

    public var os: String?
    public var architecture: String?
    public var variant: String?
    public var rootfs: RootFS?
}

/// One image of a docker-archive's `manifest.json` (what `docker save` writes).
public struct DockerArchiveItem: Codable, Sendable {
    public var Config: String
    public var RepoTags: [String]?
    public var Layers: [String]
}
