/// The mount table as `recurse_file_system="local"` reads it (OpenSCAP's `fsdev.c`).
enum FileWalkMounts {
    /// One line of a mount table.
    struct Mount: Equatable {
        var device: String
        var directory: String
        var type: String
    }

    /// Parses `/proc/self/mounts` (or `/etc/mtab`) text; octal escapes such as `\040`
    /// are decoded as `getmntent` decodes them. Malformed lines are skipped.
    static func parse(_ text: String) -> [Mount] {
        var mounts: [Mount] = []
        for line in text.split(separator: "\n") {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count >= 3, !fields[0].hasPrefix("#") else { continue }
            mounts.append(Mount(device: unescape(fields[0]), directory: unescape(fields[1]), type: unescape(fields[2])))
        }
        return mounts
    }

    /// Whether OpenSCAP counts a file system type as local: not autofs, not proc or
    /// sysfs, and not a network file system (a `fuse.` prefix is ignored).
    static func isLocal(type: String) -> Bool {
        if type == "autofs" { return false }
        let base = type.hasPrefix("fuse.") ? String(type.dropFirst(5)) : type
        return !nonLocalTypes.contains(base)
    }

    static let nonLocalTypes: Set<String> = [
        "proc", "sysfs",
        "afs", "ceph", "cifs", "smb3", "smbfs", "sshfs", "ncpfs", "ncp", "nfs", "nfs4",
        "gfs", "gfs2", "glusterfs", "gpfs", "pvfs2", "ocfs2", "lustre", "davfs",
    ]

    /// Decodes `\ooo` octal escapes.
    static func unescape(_ field: Substring) -> String {
        guard field.contains("\\") else { return String(field) }
        var out: [UInt8] = []
        let bytes = Array(field.utf8)
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "\\"), i + 3 < bytes.count {
                // Exactly three octal digits (the kernel's escape), not a C number: not CNumber.
                let digits = bytes[(i + 1)...(i + 3)]
                if digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "7") }) {
                    let value = digits.reduce(0) { $0 * 8 + Int($1 - UInt8(ascii: "0")) }
                    if value < 256 {
                        out.append(UInt8(value))
                        i += 4
                        continue
                    }
                }
            }
            out.append(bytes[i])
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
