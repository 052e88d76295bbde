import Foundation
import VigilTarget

/// Everything a scan can see of one path of a target, in comparable form: type and mode
/// bits, owners, size (regular files and links), content, link target, whether it has an
/// extended POSIX ACL, device numbers, modification time, and the other paths that are the
/// same file (hard links).
struct PathRecord: Equatable, CustomStringConvertible {
    var mode: UInt32
    var uid: UInt32
    var gid: UInt32
    var size: Int64?
    var content: [UInt8]?
    var link: String?
    var extendedACL: Bool?
    var device: UInt32
    var modifyTime: Int64?
    var hardLinks: [String] = []

    var description: String {
        let text = content.map { String(decoding: $0.prefix(60), as: UTF8.self).debugDescription } ?? "-"
        return "mode \(String(mode, radix: 8)) \(uid):\(gid) size \(size.map(String.init) ?? "-") link \(link ?? "-") "
            + "acl \(extendedACL.map(String.init) ?? "-") dev \(device) mtime \(modifyTime.map(String.init) ?? "-") "
            + "links \(hardLinks) content \(text)"
    }
}

/// A target's whole file system, path by path (walked from "/" without following links).
enum FileSystemSnapshot {
    /// The snapshot of `target`. Times from `madeAfter` on are left out: they are of
    /// directories no layer lists, which take the time they were made (umoci's, or the
    /// image target's own), as the root directory does.
    static func take(_ target: any Target, madeAfter: Int64) throws -> [String: PathRecord] {
        var out: [String: PathRecord] = [:]
        var inodes: [UInt64: [String]] = [:]
        var pending = ["/"]
        while let path = pending.popLast() {
            let info = try target.statResult(path, followLinks: false).get()
            var record = PathRecord(mode: info.mode, uid: info.uid, gid: info.gid, size: nil, content: nil, link: nil,
                                    extendedACL: nil, device: 0,
                                    modifyTime: path == "/" || info.modifyTime >= madeAfter ? nil : info.modifyTime)
            switch info.mode & UInt32(S_IFMT) {
            case UInt32(S_IFREG):
                record.size = info.size
                record.content = try target.readFile(path, limit: 64 << 20)
                record.extendedACL = target.hasExtendedACL(path)
                inodes[info.inode, default: []].append(path)
            case UInt32(S_IFLNK):
                record.size = info.size
                record.link = target.readLink(path)
            case UInt32(S_IFDIR):
                record.extendedACL = target.hasExtendedACL(path)
                let entries = try target.directoryEntries(path).get()
                pending += entries.map { (path == "/" ? "" : path) + "/" + $0.name }
            case UInt32(S_IFCHR), UInt32(S_IFBLK):
                record.device = info.specialDevice
            default:
                break
            }
            out[path] = record
        }
        for paths in inodes.values where paths.count > 1 {
            for p in paths { out[p]?.hardLinks = paths.filter { $0 != p }.sorted() }
        }
        return out
    }

    /// The differences between two snapshots, one line each ("" when none): paths only one
    /// has, then paths whose records differ.
    static func differences(reference: [String: PathRecord], candidate: [String: PathRecord]) -> [String] {
        var out: [String] = []
        for path in Set(reference.keys).union(candidate.keys).sorted() {
            switch (reference[path], candidate[path]) {
            case (nil, _): out.append("\(path): only in the image")
            case (_, nil): out.append("\(path): missing from the image")
            case let (r?, c?) where r != c: out.append("\(path):\n  unpacked \(r)\n  image    \(c)")
            default: break
            }
        }
        return out
    }
}
