import Foundation

extension FileAccess {
    /// Lists directory `name` in `dirFD`, each entry with what `lstat` says of it when
    /// `withInfo`. `opened` sees the directory's descriptor before it is read (an offline
    /// root keeps a copy to resolve the entries' paths in one step).
    static func readDirectory(_ dirFD: Int32, _ name: String, follow: Bool, withInfo: Bool,
                              opened: (Int32) -> Void = { _ in }) -> Result<[DirectoryEntry], TargetFailure> {
        var flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC
        if !follow { flags |= O_NOFOLLOW }
        let fd = openat(dirFD, name, flags)
        guard fd >= 0 else { return .failure(TargetFailure(errno)) }
        opened(fd)
        guard let dir = fdopendir(fd) else {
            let failure = TargetFailure(errno)
            close(fd)
            return .failure(failure)
        }
        defer { closedir(dir) }
        // Most directories hold a few dozen entries: room for them up front, then one array
        // of the exact size, instead of an allocation at each doubling (a scan lists tens of
        // thousands of directories, on several threads that share malloc's locks).
        var entries: [DirectoryEntry] = []
        entries.reserveCapacity(64)
        while true {
            errno = 0
            guard let ent = readdir(dir) else {
                // End of the listing, or a failure part-way (which must not pass as the end).
                if errno != 0 { return .failure(TargetFailure(errno)) }
                break
            }
            switch entry(ent, in: fd, withInfo: withInfo) {
            case .failure(let failure):
                // An entry that cannot be looked at fails the listing: it could be a
                // directory whose whole subtree would otherwise go unseen.
                return .failure(failure)
            case .success(let entry?): entries.append(entry)
            case .success(nil): continue
            }
        }
        return .success(entries.count > 48 ? entries : entries.withUnsafeBufferPointer { Array($0) })
    }

    /// The entry `ent` of the directory `fd` (nil for "." and ".."), `lstat`ed when
    /// `withInfo`; an entry removed meanwhile has no info, any other `lstat` failure fails.
    private static func entry(_ ent: UnsafeMutablePointer<dirent>, in fd: Int32,
                              withInfo: Bool) -> Result<DirectoryEntry?, TargetFailure> {
        withUnsafePointer(to: ent.pointee.d_name) {
            $0.withMemoryRebound(to: CChar.self, capacity: 256) { cname -> Result<DirectoryEntry?, TargetFailure> in
                let length = strlen(cname)
                if length == 1 && cname[0] == 0x2E { return .success(nil) }
                if length == 2 && cname[0] == 0x2E && cname[1] == 0x2E { return .success(nil) }
                let name = PathBytes.string(UnsafeRawBufferPointer(start: cname, count: length))
                var info: FileInfo?
                if withInfo {
                    var st = stat()
                    if fstatat(fd, cname, &st, AT_SYMLINK_NOFOLLOW) == 0 {
                        info = FileInfo(st)
                    } else if errno != ENOENT {
                        return .failure(TargetFailure(errno))
                    }
                }
                return .success(DirectoryEntry(name: name, info: info))
            }
        }
    }
}
