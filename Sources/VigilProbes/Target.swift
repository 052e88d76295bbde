import Foundation

/// The system a scan reads: the live host (`/`) or an offline root such as a mounted
/// image (`--root DIR`). Every probe reads through a `Target`, never through raw
/// absolute paths. Paths given to a target are absolute paths *inside* it; symbolic
/// links are resolved inside the root and can never lead out of it.
public struct Target: Sendable {
    /// The root directory on the host, without a trailing slash ("" for the live host).
    public let rootPrefix: String
    /// True for the running host, false for an offline root.
    public let isLive: Bool

    /// The live host.
    public static let host = Target(rootPrefix: "", isLive: true)

    /// An offline root file system at `directory`.
    public init(root directory: String) throws {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDir), isDir.boolValue else {
            throw TargetError(path: directory, message: "not a directory")
        }
        let real = URL(fileURLWithPath: directory).resolvingSymlinksInPath().path
        self.init(rootPrefix: real == "/" ? "" : real, isLive: real == "/")
    }

    init(rootPrefix: String, isLive: Bool) {
        self.rootPrefix = rootPrefix
        self.isLive = isLive
    }

    /// A label for messages and reports: "/" or the root directory.
    public var label: String { rootPrefix.isEmpty ? "/" : rootPrefix }
}

/// An error reading through a `Target`.
public struct TargetError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let message: String
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }
    public var description: String { "\(path): \(message)" }
}
