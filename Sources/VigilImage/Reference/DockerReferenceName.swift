/// A Docker image name with its tag (`registry:5000/team/app:1.2`), normalised as Docker and
/// skopeo do for matching: `busybox` is `docker.io/library/busybox:latest`. Digests
/// (`name@sha256:...`) are refused, as in skopeo's docker-archive transport.
public struct DockerReferenceName: Sendable, Equatable {
    /// Why a name is not a valid Docker reference.
    public struct Invalid: Error, Sendable {
        public let reason: String
    }

    /// The name as written.
    public let raw: String
    /// `docker.io`, `registry:5000`, `localhost`, ...
    public let domain: String
    /// The repository path in its domain (`library/busybox`).
    public let path: String
    /// The tag (`latest` when none is written).
    public let tag: String

    /// `domain/path:tag`, what two spellings of one name share.
    public var canonical: String { "\(domain)/\(path):\(tag)" }

    public init(parsing raw: String) throws(Invalid) {
        self.raw = raw
        guard !raw.contains("@") else { throw Invalid(reason: "digest references are not supported") }
        let (repository, tag) = DockerReferenceName.splitTag(raw)
        self.tag = tag ?? "latest"
        guard DockerReferenceName.isTag(self.tag) else { throw Invalid(reason: "invalid tag '\(self.tag)'") }
        var parts = repository.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if parts.count > 1, parts[0].contains(".") || parts[0].contains(":") || parts[0] == "localhost" {
            let first = parts.removeFirst()
            domain = first == "index.docker.io" ? "docker.io" : first
        } else {
            domain = "docker.io"
        }
        if domain == "docker.io", parts.count == 1 { parts.insert("library", at: 0) }
        guard !parts.isEmpty, parts.allSatisfy(DockerReferenceName.isPathComponent) else {
            throw Invalid(reason: "repository must be lowercase letters, digits and separators . _ -")
        }
        path = parts.joined(separator: "/")
    }

    /// `repo` and `tag` of `repo:tag` (the tag is after the last ':' that follows the last
    /// '/', so `registry:5000/app` has none).
    public static func splitTag(_ name: String) -> (repository: String, tag: String?) {
        let lastSlash = name.lastIndex(of: "/") ?? name.startIndex
        guard let colon = name[lastSlash...].lastIndex(of: ":") else { return (name, nil) }
        return (String(name[..<colon]), String(name[name.index(after: colon)...]))
    }

    private static func isTag(_ tag: String) -> Bool {
        guard let first = tag.utf8.first, tag.utf8.count <= 128, first != UInt8(ascii: "."),
              first != UInt8(ascii: "-") else { return false }
        return tag.utf8.allSatisfy { isAlnum($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".")
            || $0 == UInt8(ascii: "-") }
    }

    private static func isPathComponent(_ part: String) -> Bool {
        guard let first = part.utf8.first, let last = part.utf8.last, isLowerAlnum(first), isLowerAlnum(last) else {
            return false
        }
        return part.utf8.allSatisfy { isLowerAlnum($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_")
            || $0 == UInt8(ascii: "-") }
    }

    private static func isLowerAlnum(_ b: UInt8) -> Bool { (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x7A) }
    private static func isAlnum(_ b: UInt8) -> Bool { isLowerAlnum(b) || (b >= 0x41 && b <= 0x5A) }
}
