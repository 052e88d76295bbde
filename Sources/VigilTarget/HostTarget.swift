import Foundation

/// The live host Vigil runs on. The kernel resolves paths directly (there is nothing to
/// escape), which keeps reads fast; every capability is there: a running kernel and, where
/// systemd runs, its system bus.
public struct HostTarget: Target {
    public init() {}

    public var kind: TargetKind { .host }
    public var reference: String { "/" }
    public var label: String { "/" }
    public var capabilities: TargetCapabilities { [.runtimeState, .systemBus] }
    public var pathSpelling: TargetPathSpelling { .asGiven }

    public func readFile(_ path: String, limit: Int) throws -> [UInt8] {
        try FileAccess.readFile(AT_FDCWD, FileAccess.absolute(path), follow: true, path: path, limit: limit)
    }

    public func withOpenFile<T>(_ path: String, _ body: (TargetFile) throws -> T) throws -> T {
        let fd = try FileAccess.openRegular(AT_FDCWD, FileAccess.absolute(path), follow: true, path: path).get()
        defer { close(fd) }
        return try body(TargetFile(fd: fd, path: path))
    }

    public func statResult(_ path: String, followLinks: Bool) -> Result<FileInfo, TargetFailure> {
        FileAccess.statAt(AT_FDCWD, FileAccess.absolute(path), follow: followLinks)
    }

    public func directoryEntries(_ path: String) -> Result<[DirectoryEntry], TargetFailure> {
        FileAccess.readDirectory(AT_FDCWD, FileAccess.absolute(path), follow: true, withInfo: true)
    }

    public func listDirectory(_ path: String) -> [String]? {
        try? FileAccess.readDirectory(AT_FDCWD, FileAccess.absolute(path), follow: true, withInfo: false).get().map(\.name)
    }

    public func readLink(_ path: String) -> String? {
        FileAccess.readLinkAt(AT_FDCWD, FileAccess.absolute(path))
    }

    public func canonicalPath(_ path: String) -> Result<String, TargetFailure> {
        guard let real = PathBytes.withCString(FileAccess.absolute(path), { realpath($0, nil) }) else {
            return .failure(TargetFailure(errno))
        }
        defer { free(real) }
        return .success(PathBytes.string(UnsafeRawBufferPointer(start: real, count: strlen(real))))
    }

    public func hasExtendedACL(_ path: String) -> Bool? {
        FileAccess.extendedACL(at: FileAccess.absolute(path))
    }

    public func fileSystemStatistics(_ path: String) -> Result<FileSystemStatistics, TargetFailure> {
        var st = statvfs()
        guard PathBytes.withCString(FileAccess.absolute(path), { statvfs($0, &st) }) == 0 else {
            return .failure(TargetFailure(errno))
        }
        return .success(FileSystemStatistics(st))
    }
}
