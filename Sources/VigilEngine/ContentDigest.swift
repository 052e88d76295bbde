import VigilContent
import VigilProbes

extension SCAPContent {
    /// The SHA-256 a scan stores for its content: of the content file, or of the data
    /// stream compiled from a rule folder.
    public func sha256() throws -> String {
        try compiled.map(HostFileDigest.sha256(bytes:)) ?? HostFileDigest.sha256(path)
    }
}
