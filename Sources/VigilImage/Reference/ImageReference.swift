import Foundation

/// An image named on the command line, with skopeo's transport names: `oci:DIR[:NAME|:@N]`,
/// `oci-archive:FILE[:NAME]`, `docker-archive:FILE[:NAME[:TAG]|:@N]`, and Vigil's own
/// `rootfs:FILE` (a plain root file-system tarball). Paths are made absolute; as in skopeo,
/// the path of the three skopeo transports ends at the first ':' (a path with a colon
/// cannot be named), while `rootfs:` takes the whole rest as its path.
public struct ImageReference: Sendable, Equatable {
    /// Where the image is and how it is stored.
    public enum Transport: String, Sendable, CaseIterable {
        case oci, ociArchive = "oci-archive", dockerArchive = "docker-archive", rootfs
    }

    /// What picks one image out of a layout or archive holding several.
    public enum Selector: Sendable, Equatable {
        /// An OCI `org.opencontainers.image.ref.name` (`latest`, `docker.io/library/debian:12`).
        case name(String)
        /// A docker-archive `RepoTags` entry, normalised as Docker does
        /// (`docker.io/library/busybox:latest` for `busybox`).
        case dockerTag(DockerReferenceName)
        /// The N-th (from 0) manifest of the layout's index.json or the archive's manifest.json.
        case index(Int)
    }

    public let transport: Transport
    /// The layout directory, archive or tarball, absolute and without `.`/`..` components.
    public let path: String
    public let selector: Selector?
    /// The reference as typed (what errors name).
    public let original: String

    /// The forms accepted, for messages.
    public static let acceptedForms = "oci:DIR[:TAG], oci-archive:FILE[:TAG], docker-archive:FILE[:NAME[:TAG]|:@N], "
        + "rootfs:FILE (.tar, .tar.gz, .tgz, .tar.zst)"

    /// `transport:path`, then `:name` or `:@N` when one was given, with the path absolute.
    public var normalized: String {
        var out = transport.rawValue + ":" + path
        switch selector {
        case .name(let name): out += ":" + name
        case .dockerTag(let name): out += ":" + name.raw
        case .index(let n): out += ":@\(n)"
        case nil: break
        }
        return out
    }

    /// Parses `string`, making a relative path absolute against `directory` (the current one).
    public init(parsing string: String, relativeTo directory: String = FileManager.default.currentDirectoryPath)
        throws(ImageError) {
        original = string
        func fail(_ why: String) -> ImageError {
            ImageError(image: string, message: "\(why); accepted forms: \(ImageReference.acceptedForms)")
        }
        guard let colon = string.firstIndex(of: ":") else { throw fail("no transport given") }
        let name = String(string[..<colon])
        guard let transport = Transport(rawValue: name) else { throw fail("unknown transport '\(name)'") }
        self.transport = transport
        let rest = String(string[string.index(after: colon)...])
        let rawPath: String
        if transport == .rootfs {
            rawPath = rest
            selector = nil
        } else {
            let cut = rest.firstIndex(of: ":")
            rawPath = String(rest[..<(cut ?? rest.endIndex)])
            let tail = cut.map { String(rest[rest.index(after: $0)...]) }
            selector = try ImageReference.selector(tail, transport: transport, fail: fail)
        }
        guard !rawPath.isEmpty else { throw fail("no path given") }
        path = ImageReference.absolute(rawPath, relativeTo: directory)
    }

    /// The part after the path: `@N`, a name (OCI) or a Docker reference (docker-archive).
    private static func selector(_ tail: String?, transport: Transport,
                                 fail: (String) -> ImageError) throws(ImageError) -> Selector? {
        guard let tail else { return nil }
        guard !tail.isEmpty else { throw fail("empty name after the path") }
        if tail.hasPrefix("@") {
            guard transport != .ociArchive else { throw fail("oci-archive does not take an index (@N)") }
            guard let n = Int(tail.dropFirst()), n >= 0 else {
                throw fail("invalid source index '\(tail)': not a number >= 0")
            }
            return .index(n)
        }
        if transport == .dockerArchive {
            do { return .dockerTag(try DockerReferenceName(parsing: tail)) } catch let why {
                throw fail("invalid image name '\(tail)': \(why.reason)")
            }
        }
        guard OCIRefName.isValid(tail) else {
            throw fail("invalid image name '\(tail)' (letters, digits and separators . _ - : @ + /)")
        }
        return .name(tail)
    }

    /// `path` made absolute against `directory`, with `.`, `..` and repeated slashes resolved
    /// lexically (symbolic links are left to the file system).
    static func absolute(_ path: String, relativeTo directory: String) -> String {
        let joined = path.hasPrefix("/") ? path : directory + "/" + path
        var parts: [Substring] = []
        for part in joined.split(separator: "/") {
            if part == "." { continue }
            if part == ".." { _ = parts.popLast(); continue }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }
}

/// The grammar skopeo (containers/image `oci/internal`) accepts for an OCI layout's image
/// name: components of letters and digits joined by `. _ - : @ +` or `--`, separated by `/`.
enum OCIRefName {
    static func isValid(_ name: String) -> Bool {
        name.split(separator: "/", omittingEmptySubsequences: false).allSatisfy(isComponent)
    }

    private static func isComponent(_ part: Substring) -> Bool {
        let bytes = Array(part.utf8)
        var i = 0
        var lastWasAlnum = false
        while i < bytes.count {
            let b = bytes[i]
            if isAlnum(b) {
                lastWasAlnum = true
                i += 1
                continue
            }
            guard lastWasAlnum else { return false }
            if b == UInt8(ascii: "-"), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "-") {
                i += 2
            } else if "._:@+-".utf8.contains(b) {
                i += 1
            } else {
                return false
            }
            lastWasAlnum = false
        }
        return lastWasAlnum
    }

    private static func isAlnum(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
    }
}
