import Foundation

/// What names a scanned container or OS image: the reference it was opened by, the name
/// its scans are kept under as one series, its manifest and config digests, and the OS and
/// architecture its config records. Stored with the scan (in `SystemIdentity.image`) and
/// printed by every report.
public struct ImageIdentity: Sendable, Equatable, Codable {
    /// The reference as given, with the transport: `oci:DIR:TAG`, `docker-archive:FILE`, ...
    public var reference: String
    /// The name scans of this image share as one series (history, drift): the repository
    /// of the image's own name (`registry/app` of `registry/app:1.2`) when it has one,
    /// else the reference without its tag.
    public var name: String
    /// The tag or name the reference selected in the layout or archive, when any.
    public var tag: String?
    /// `sha256:...` of the image manifest (nil for a plain root file-system tarball).
    public var manifestDigest: String?
    /// `sha256:...` of the image config (nil for a plain root file-system tarball).
    public var configDigest: String?
    /// `os`, `architecture` and `variant` from the image config (empty when unknown).
    public var os: String
    public var architecture: String
    public var variant: String?
    /// The layers' digests, lowest first (for a root file-system tarball, its own digest).
    public var layers: [String]

    public init(reference: String, name: String, tag: String? = nil, manifestDigest: String? = nil,
                configDigest: String? = nil, os: String = "", architecture: String = "", variant: String? = nil,
                layers: [String] = []) {
        self.reference = reference
        self.name = name
        self.tag = tag
        self.manifestDigest = manifestDigest
        self.configDigest = configDigest
        self.os = os
        self.architecture = architecture
        self.variant = variant
        self.layers = layers
    }

    /// `os/architecture[/variant]`, as `--platform` spells it.
    public var platform: String {
        ([os, architecture] + (variant.map { [$0] } ?? [])).joined(separator: "/")
    }
}
