import Foundation
import VigilCore
import VigilTarget

/// A target that records every path a scan reads, `stat`s, resolves or lists through it
/// in a `FootprintRecorder`, attributed to the scope the access is made in
/// (`FootprintScope`: a rule, an OVAL object, ...), then answers as the target it wraps.
/// An access that follows links also records the path's canonical path, so that a change
/// to the file a link leads to is seen (links met half-way along a chain are not).
public struct RecordingTarget: Target {
    public let base: any Target
    public let recorder: FootprintRecorder
    /// Directories listed that are their own canonical path.
    private let canonical = CanonicalDirectories()

    public init(_ base: any Target, recorder: FootprintRecorder) {
        self.base = base
        self.recorder = recorder
    }

    public var kind: TargetKind { base.kind }
    public var reference: String { base.reference }
    public var label: String { base.label }
    public var capabilities: TargetCapabilities { base.capabilities }
    public var pathSpelling: TargetPathSpelling { base.pathSpelling }
    public var localDevices: Set<UInt64>? { base.localDevices }

    public func readFile(_ path: String, limit: Int) throws -> [UInt8] {
        following(path)
        return try base.readFile(path, limit: limit)
    }

    public func withOpenFile<T>(_ path: String, _ body: (TargetFile) throws -> T) throws -> T {
        following(path)
        return try base.withOpenFile(path, body)
    }

    public func statResult(_ path: String, followLinks: Bool) -> Result<FileInfo, TargetFailure> {
        if followLinks { following(path) } else { recorder.record(path) }
        return base.statResult(path, followLinks: followLinks)
    }

    public func directoryEntries(_ path: String) -> Result<[DirectoryEntry], TargetFailure> {
        listing(path)
        return base.directoryEntries(path)
    }

    public func listDirectory(_ path: String) -> [String]? {
        listing(path)
        return base.listDirectory(path)
    }

    public func readLink(_ path: String) -> String? {
        recorder.record(path)
        return base.readLink(path)
    }

    public func canonicalPath(_ path: String) -> Result<String, TargetFailure> {
        recorder.record(path)
        let result = base.canonicalPath(path)
        if case .success(let real) = result, real != path { recorder.record(real) }
        return result
    }

    public func hasExtendedACL(_ path: String) -> Bool? {
        following(path)
        return base.hasExtendedACL(path)
    }

    public func fileSystemStatistics(_ path: String) -> Result<FileSystemStatistics, TargetFailure> {
        recorder.record(path)
        return base.fileSystemStatistics(path)
    }

    /// Records `path` and, when links lead elsewhere, where they lead.
    private func following(_ path: String) {
        recorder.record(path)
        if case .success(let real) = base.canonicalPath(path), real != path { recorder.record(real) }
    }

    /// Records a listing of `path` (a directory reached through links is recorded where it
    /// is too). A walk lists a directory after its parent: when the parent was its own
    /// canonical path and `path` is no link, neither is resolved again.
    private func listing(_ path: String) {
        recorder.record(path, listing: true)
        if canonical.contains(ScanFootprint.parent(of: path)), case .success(let info) = base.statResult(path, followLinks: false),
           !info.isSymlink {
            canonical.insert(path)
            return
        }
        guard case .success(let real) = base.canonicalPath(path) else { return }
        if real != path { recorder.record(real, listing: true) } else { canonical.insert(path) }
    }
}

/// A set of paths shared by the threads of a scan.
final class CanonicalDirectories: @unchecked Sendable {
    private let lock = NSLock()
    private var paths: Set<String> = []

    func contains(_ path: String) -> Bool { lock.withLock { paths.contains(path) } }
    func insert(_ path: String) { lock.withLock { _ = paths.insert(path) } }
}
