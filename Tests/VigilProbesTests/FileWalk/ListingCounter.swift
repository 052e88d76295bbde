import Foundation
@testable import VigilProbes

/// A target that counts how often each directory is listed, and otherwise reads `base`.
final class ListingCounter: Target, @unchecked Sendable {
    private let base: any Target
    private let lock = NSLock()
    private var listed: [String: Int] = [:]

    init(_ base: any Target) { self.base = base }

    /// Listings by path.
    var counts: [String: Int] { lock.withLock { listed } }
    /// The most times one directory was listed.
    var maxPerPath: Int { counts.values.max() ?? 0 }

    var kind: TargetKind { base.kind }
    var reference: String { base.reference }
    var label: String { base.label }
    var capabilities: TargetCapabilities { base.capabilities }
    var pathSpelling: TargetPathSpelling { base.pathSpelling }
    var localDevices: Set<UInt64>? { base.localDevices }

    func directoryEntries(_ path: String) -> Result<[DirectoryEntry], TargetFailure> {
        lock.withLock { listed[path, default: 0] += 1 }
        return base.directoryEntries(path)
    }

    func readFile(_ path: String, limit: Int) throws -> [UInt8] { try base.readFile(path, limit: limit) }
    func withOpenFile<T>(_ path: String, _ body: (TargetFile) throws -> T) throws -> T { try base.withOpenFile(path, body) }
    func statResult(_ path: String, followLinks: Bool) -> Result<FileInfo, TargetFailure> {
        base.statResult(path, followLinks: followLinks)
    }
    func listDirectory(_ path: String) -> [String]? { base.listDirectory(path) }
    func readLink(_ path: String) -> String? { base.readLink(path) }
    func canonicalPath(_ path: String) -> Result<String, TargetFailure> { base.canonicalPath(path) }
    func hasExtendedACL(_ path: String) -> Bool? { base.hasExtendedACL(path) }
    func fileSystemStatistics(_ path: String) -> Result<FileSystemStatistics, TargetFailure> {
        base.fileSystemStatistics(path)
    }
}
