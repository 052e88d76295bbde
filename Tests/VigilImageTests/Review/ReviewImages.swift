import Foundation
import VigilCore
import VigilTarget
import XCTest
@testable import VigilImage

/// Hostile and edge-case images for the review tests: layers written entry by entry with
/// Python's tarfile (any name, any order, whiteouts, links), stored in an OCI layout, opened
/// by `ImageOpener` and, for comparison, unpacked by `umoci unpack` as root.
enum ReviewImages {
    /// One tar entry: `type` is "file", "dir", "symlink", "link" (hard), "fifo" or "char".
    static func entry(_ name: String, _ type: String = "file", data: String = "", link: String = "",
                      mode: Int = 0o644, uid: Int = 0, gid: Int = 0, xattrs: [String: String] = [:]) -> [String: Any] {
        ["name": name, "type": type, "data": data, "link": link, "mode": mode, "uid": uid, "gid": gid, "xattrs": xattrs]
    }

    /// A PAX tar of `entries` in the order given. Names, link targets and extended attributes'
    /// values are percent-decoded to bytes ("caf%E9" is not UTF-8).
    static func tar(_ entries: [[String: Any]]) throws -> [UInt8] {
        let script = """
        import sys, json, tarfile, io, urllib.parse
        raw = lambda s: urllib.parse.unquote_to_bytes(s).decode("utf-8", "surrogateescape")
        spec = json.load(sys.stdin)
        out = io.BytesIO()
        kinds = {"file": tarfile.REGTYPE, "dir": tarfile.DIRTYPE, "symlink": tarfile.SYMTYPE,
                 "link": tarfile.LNKTYPE, "fifo": tarfile.FIFOTYPE, "char": tarfile.CHRTYPE}
        with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as t:
            for e in spec:
                i = tarfile.TarInfo(raw(e["name"])); i.type = kinds[e["type"]]; i.mode = e["mode"]
                i.uid = e["uid"]; i.gid = e["gid"]; i.mtime = 1700000000; i.linkname = raw(e["link"])
                if e["type"] == "char": i.devmajor, i.devminor = 1, 3
                i.pax_headers = {"SCHILY.xattr." + k: raw(v) for k, v in e["xattrs"].items()}
                data = e["data"].encode()
                if e["type"] == "file": i.size = len(data)
                t.addfile(i, io.BytesIO(data) if e["type"] == "file" else None)
        sys.stdout.buffer.write(out.getvalue())
        """
        return try LayoutBuilder.run(["python3", "-c", script], input: LayoutBuilder.json(entries))
    }

    /// An OCI layout under `base` holding one image (tag "t") of `layers` (tar bytes, stored
    /// uncompressed); returns the layout's path.
    static func layout(_ base: String, layers: [[UInt8]]) throws -> String {
        let builder = try LayoutBuilder(base)
        var descriptors: [[String: Any]] = []
        for layer in layers {
            descriptors.append(try builder.blob(layer, mediaType: "application/vnd.oci.image.layer.v1.tar"))
        }
        let config: [String: Any] = ["os": "linux", "architecture": "amd64",
                                     "rootfs": ["type": "layers", "diff_ids": layers.map { BlobDigest.sha256($0) }]]
        let configDescriptor = try builder.blob(LayoutBuilder.json(config), mediaType: ImageMediaType.ociConfig)
        let manifest: [String: Any] = ["schemaVersion": 2, "mediaType": ImageMediaType.ociManifest,
                                       "config": configDescriptor, "layers": descriptors]
        let descriptor = try builder.blob(LayoutBuilder.json(manifest), mediaType: ImageMediaType.ociManifest,
                                          extra: ["annotations": ["org.opencontainers.image.ref.name": "t"]])
        try builder.writeIndexJSON([descriptor])
        return builder.path
    }

    /// `umoci unpack` of the layout's image "t" (as root, so owners and device nodes are
    /// real); returns the rootfs directory.
    static func umociRoot(_ layout: String, base: String) throws -> String {
        let bundle = base + "/bundle"
        try LayoutBuilder.run(["umoci", "unpack", "--image", layout + ":t", bundle])
        return bundle + "/rootfs"
    }

    /// Everything a scan can see of a target's file system, one line per path (times and
    /// directory sizes left out: an unpacking tool sets them as it goes): type and mode,
    /// owner, size, content or link target, device, and the first path of its hard-link group.
    static func snapshot(_ target: any Target) -> [String] {
        var lines: [(path: String, inode: UInt64?, text: String)] = []
        var pending = ["/"]
        while let dir = pending.popLast() {
            guard case .success(let entries) = target.directoryEntries(dir) else {
                lines.append((dir, nil, "\(dir): cannot list"))
                continue
            }
            for entry in entries {
                let path = dir == "/" ? "/" + entry.name : dir + "/" + entry.name
                guard let info = entry.info else { lines.append((path, nil, "\(path): no info")); continue }
                var line = "\(path) \(String(info.mode, radix: 8)) \(info.uid):\(info.gid)"
                switch info.mode & UInt32(S_IFMT) {
                case UInt32(S_IFDIR): pending.append(path)
                case UInt32(S_IFLNK): line += " size \(info.size) -> \(target.readLink(path) ?? "?")"
                case UInt32(S_IFREG):
                    let text = (try? target.readFile(path, limit: 1 << 20)).map { String(decoding: $0, as: UTF8.self) }
                    line += " size \(info.size) " + (text.map { "'\($0)'" } ?? "unreadable")
                case UInt32(S_IFCHR), UInt32(S_IFBLK): line += " dev \(info.specialDevice)"
                default: break
                }
                if target.hasExtendedACL(path) == true { line += " +acl" }
                let isDirectory = info.mode & UInt32(S_IFMT) == UInt32(S_IFDIR)
                lines.append((path, isDirectory ? nil : info.inode, line))
            }
        }
        var firstPathOfInode: [UInt64: String] = [:]
        for line in lines.sorted(by: { $0.path < $1.path }) {
            if let inode = line.inode, firstPathOfInode[inode] == nil { firstPathOfInode[inode] = line.path }
        }
        return lines.map { line in
            guard let inode = line.inode, let first = firstPathOfInode[inode], first != line.path else { return line.text }
            return line.text + " = " + first
        }.sorted()
    }

    /// The root directory's own mode and owner.
    static func rootLine(_ target: any Target) -> String {
        guard case .success(let info) = target.statResult("/", followLinks: false) else { return "/: no stat" }
        return "/ \(String(info.mode, radix: 8)) \(info.uid):\(info.gid)"
    }
}
