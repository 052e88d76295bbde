import Foundation
import VigilCore

/// Finds an image named by an `ImageReference` and locates its layers, lowest first, without
/// reading them: the entry point from a reference to a `ResolvedImage`.
public enum ImageSource {
    /// Resolves `reference` for `platform` (nil: the scanning machine's, and a single-platform
    /// image for another one is still scanned, its identity saying which; given: an image
    /// for another platform is an error).
    public static func resolve(_ reference: ImageReference, platform: ImagePlatform?,
                               limits: ImageLimits) throws(ImageError) -> ResolvedImage {
        let wanted = platform ?? ImagePlatform.host
        switch reference.transport {
        case .oci, .ociArchive:
            return try OCILayoutSource(reference: reference, limits: limits).resolve(platform: wanted, explicit: platform != nil)
        case .dockerArchive:
            return try DockerArchiveSource(reference: reference, limits: limits).resolve(platform: wanted, explicit: platform != nil)
        case .rootfs:
            return try rootfs(reference, platform: platform)
        }
    }

    /// A plain root file-system tarball: one layer, its compression told by its first bytes,
    /// no digest (the layer reader hashes it; `identity.layers` is left for it to fill).
    private static func rootfs(_ reference: ImageReference, platform: ImagePlatform?) throws(ImageError) -> ResolvedImage {
        guard platform == nil else {
            throw ImageError(image: reference.original, message: "--platform cannot be checked for a root file-system "
                + "tarball, which records no platform")
        }
        let file = try ImageStore.openFile(reference.path, image: reference.original)
        var info = stat()
        guard fstat(file.fd, &info) == 0 else {
            throw ImageError(image: reference.original, message: "cannot stat \(reference.path)")
        }
        let layer = LayerBlob(index: 0, digest: nil, diffID: nil, mediaType: "",
                              location: BlobLocation(file: file, offset: 0, length: Int64(info.st_size)), compression: nil)
        return ResolvedImage(identity: ImageIdentity(reference: reference.normalized, name: reference.path), layers: [layer])
    }
}
