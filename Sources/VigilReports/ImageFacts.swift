import Foundation
import VigilCore
import VigilStore

/// What every report says about a scanned image (`vigil scan --image`), in one place: the
/// named fields the JUnit and SARIF properties, the XCCDF facts and the HTML facts are
/// made of, and the one line the terminal prints. A scan of a host or a root directory
/// has no image, and its reports carry none of these.
public enum ImageFacts {
    /// `sha256:` and the first 12 hex digits of a digest, as `docker images` shortens
    /// image ids; other text is kept as it is.
    public static func shortDigest(_ digest: String) -> String {
        guard let colon = digest.firstIndex(of: ":") else { return String(digest.prefix(12)) }
        return String(digest[...colon]) + digest[digest.index(after: colon)...].prefix(12)
    }

    /// `os/architecture[/variant]`, or "" when the config names neither.
    public static func platform(_ image: ImageIdentity) -> String {
        image.os.isEmpty && image.architecture.isEmpty ? "" : image.platform
    }

    /// The image's name with the tag the reference selected: `registry/app:1.4` (a tag
    /// that is a whole name already, `app:1.4` of a docker-archive, is kept as it is).
    public static func taggedName(_ image: ImageIdentity) -> String {
        let name = image.name
        guard let tag = image.tag, !tag.isEmpty, !name.hasSuffix(":" + tag) else { return name }
        return tag.hasPrefix(name + ":") || tag.hasPrefix(name + "@") ? tag : name + ":" + tag
    }

    /// The terminal's line for an image: "Image: registry/app:1.4  manifest
    /// sha256:0123456789ab  linux/amd64" (a root file-system tarball has no manifest).
    public static func line(_ image: ImageIdentity) -> String {
        var parts = ["Image: " + taggedName(image)]
        parts.append(image.manifestDigest.map { "manifest " + shortDigest($0) } ?? "no manifest (root file-system tarball)")
        let platform = platform(image)
        if !platform.isEmpty { parts.append(platform) }
        return parts.joined(separator: "  ")
    }

    /// Every field, named as the JUnit and SARIF properties name them; fields the image
    /// does not have are left out. Layers are comma-separated, lowest first.
    static func fields(_ image: ImageIdentity) -> [(String, String)] {
        let fields: [(String, String?)] = [
            ("image", image.reference), ("imageName", image.name), ("imageTag", image.tag),
            ("imageManifestDigest", image.manifestDigest), ("imageConfigDigest", image.configDigest),
            ("imageOS", image.os), ("imageArchitecture", image.architecture), ("imageVariant", image.variant),
            ("imagePlatform", platform(image)), ("imageLayers", image.layers.joined(separator: ",")),
        ]
        return fields.compactMap { name, value in value.flatMap { $0.isEmpty ? nil : (name, $0) } }
    }

    /// The XCCDF `target-facts` of an image. XCCDF defines no fact for an image, so these
    /// are Vigil's names, `urn:vigil:fact:image:*`; layers are one fact each, lowest first.
    static func xccdfFacts(_ image: ImageIdentity) -> [(String, String)] {
        let prefix = "urn:vigil:fact:image:"
        let fields: [(String, String?)] = [
            ("reference", image.reference), ("name", image.name), ("tag", image.tag),
            ("manifest-digest", image.manifestDigest), ("config-digest", image.configDigest),
            ("os", image.os), ("architecture", image.architecture), ("variant", image.variant),
        ]
        let named = fields.compactMap { name, value in value.flatMap { $0.isEmpty ? nil : (prefix + name, $0) } }
        return named + image.layers.map { (prefix + "layer", $0) }
    }

    /// The HTML report's facts about the image, label and value, in place of the host's
    /// kernel and addresses.
    static func htmlFacts(_ image: ImageIdentity) -> [(String, String)] {
        [
            ("Image", taggedName(image)), ("Reference", image.reference),
            ("Manifest digest", image.manifestDigest ?? "none (root file-system tarball)"),
            ("Config digest", image.configDigest ?? ""), ("Platform", platform(image)),
            ("Layers", image.layers.isEmpty ? "" : "\(image.layers.count)"),
        ]
    }
}

extension ReportData {
    /// The scanned image; nil for a scan of a host or a root directory.
    public var image: ImageIdentity? { scan.system?.image }

    /// The scanned system's identity without the image, for the formats that report the
    /// image on its own (JSON's `image`, HDF's `passthrough.vigil.image`).
    var systemWithoutImage: SystemIdentity {
        var system = self.system
        system.image = nil
        return system
    }
}
