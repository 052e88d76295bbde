import Foundation

/// An OS and CPU as OCI image indexes and configs name them (Go's `GOOS`/`GOARCH` names:
/// `linux/amd64`, `linux/arm64/v8`, `linux/arm/v7`), as `--platform` spells it.
public struct ImagePlatform: Sendable, Equatable, CustomStringConvertible {
    public var os: String
    public var architecture: String
    public var variant: String?

    public init(os: String, architecture: String, variant: String? = nil) {
        self.os = os
        self.architecture = architecture
        self.variant = variant
    }

    /// Parses `os/arch[/variant]` (the `--platform` asked for `image`, which errors name).
    public init(parsing text: String, image: String) throws(ImageError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard (2...3).contains(parts.count), !parts.contains(where: \.isEmpty) else {
            throw ImageError(image: image, message: "invalid --platform '\(text)': expected os/arch[/variant], "
                + "like linux/amd64 or linux/arm64/v8")
        }
        self.init(os: parts[0], architecture: parts[1], variant: parts.count == 3 ? parts[2] : nil)
    }

    public var description: String { ([os, architecture] + (variant.map { [$0] } ?? [])).joined(separator: "/") }

    /// The machine Vigil runs on: Linux and `uname -m` in Go's names.
    public static var host: ImagePlatform {
        var name = utsname()
        guard uname(&name) == 0 else { return ImagePlatform(os: "linux", architecture: "unknown") }
        let machine = withUnsafeBytes(of: &name.machine) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        return fromMachine(machine)
    }

    /// `uname -m` (`x86_64`, `aarch64`, `armv7l`, ...) as a Linux platform in Go's names.
    public static func fromMachine(_ machine: String) -> ImagePlatform {
        switch machine {
        case "x86_64", "amd64": return ImagePlatform(os: "linux", architecture: "amd64")
        case "aarch64", "arm64": return ImagePlatform(os: "linux", architecture: "arm64", variant: "v8")
        case "armv7l", "armv7": return ImagePlatform(os: "linux", architecture: "arm", variant: "v7")
        case "armv6l": return ImagePlatform(os: "linux", architecture: "arm", variant: "v6")
        case "i386", "i486", "i586", "i686": return ImagePlatform(os: "linux", architecture: "386")
        default: return ImagePlatform(os: "linux", architecture: machine)
        }
    }

    /// Whether an image made for `other` is what this platform asks for: same OS and
    /// architecture, and the same variant when this one names a variant (an arm64 image
    /// without a variant is v8, an arm one v7, as containerd reads them).
    public func accepts(_ other: ImagePlatform) -> Bool {
        guard os == other.os, architecture == other.architecture else { return false }
        guard let variant else { return true }
        return normalizedVariant(variant) == normalizedVariant(other.variant)
    }

    private func normalizedVariant(_ variant: String?) -> String {
        let value = variant ?? ""
        switch architecture {
        case "arm64": return value.isEmpty || value == "8" ? "v8" : value
        case "arm": return value.isEmpty || value == "7" ? "v7" : value
        default: return value
        }
    }
}
