/// The media types of OCI and Docker schema 2 images that Vigil reads, and what each says
/// about a layer's compression.
public enum ImageMediaType {
    public static let ociIndex = "application/vnd.oci.image.index.v1+json"
    public static let ociManifest = "application/vnd.oci.image.manifest.v1+json"
    public static let ociConfig = "application/vnd.oci.image.config.v1+json"
    public static let dockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json"
    public static let dockerManifest = "application/vnd.docker.distribution.manifest.v2+json"
    public static let dockerConfig = "application/vnd.docker.container.image.v1+json"

    /// Whether a descriptor of this type is an index (or manifest list) of further manifests.
    public static func isIndex(_ type: String) -> Bool { type == ociIndex || type == dockerManifestList }

    /// Whether a descriptor of this type is an image manifest.
    public static func isManifest(_ type: String) -> Bool { type == ociManifest || type == dockerManifest }

    /// The compression a layer media type states; nil for a type that is not a layer.
    public static func layerCompression(_ type: String) -> LayerCompression? {
        switch type {
        case "application/vnd.oci.image.layer.v1.tar",
             "application/vnd.oci.image.layer.nondistributable.v1.tar",
             "application/vnd.docker.image.rootfs.diff.tar":
            return LayerCompression.none
        case "application/vnd.oci.image.layer.v1.tar+gzip",
             "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
             "application/vnd.docker.image.rootfs.diff.tar.gzip",
             "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip":
            return .gzip
        case "application/vnd.oci.image.layer.v1.tar+zstd",
             "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd":
            return .zstd
        default:
            return nil
        }
    }
}
