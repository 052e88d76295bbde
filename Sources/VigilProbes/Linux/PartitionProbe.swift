#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import VigilOVAL

/// `partition_object` (linux): mounted file systems from `/proc/mounts` of the target,
/// with `statvfs(3)` figures, as OpenSCAP 1.3.7 collects them.
///
/// - Lines are read like `getmntent(3)` does (octal escapes `\040`, `\011`, `\012`,
///   `\134` decoded); `rootfs` entries are skipped.
/// - `mount_point` supports `equals` (the first matching line only), `not equal` and
///   `pattern match`, each value of a variable on its own; any other operation selects
///   nothing. A pattern that does not compile is an error flag (OpenSCAP aborts there).
/// - Items: mount_point, device, uuid, fs_type, one `mount_options` field per option in
///   the order written, then "remount", "bind" or "move" when `statvfs`'s `f_flag` has
///   the bit of `MS_REMOUNT`, `MS_BIND` or `MS_MOVE`: OpenSCAP tests those bits on the
///   `ST_*` flags, where 4096 is `ST_RELATIME`, so every relatime mount gains "bind".
///   total_space, space_used and space_left are in blocks (`f_blocks`,
///   `f_blocks - f_bfree`, `f_bfree`).
/// - uuid comes from `/dev/disk/by-uuid` links or the blkid cache
///   (`/run/blkid/blkid.tab`) of the target; when neither knows the device its status is
///   `does not exist` (OpenSCAP probes the device with libblkid, which finds the same
///   UUIDs wherever udev or the cache have them).
/// - When `statvfs` fails on a mount point, that line gives no item and, for
///   `not equal` and `pattern match`, the search stops there (as in OpenSCAP).
/// - Offline roots are read the same way (`ROOT/proc/mounts`, `statvfs` of the path
///   inside the root); a root without that file gives no items.
package struct PartitionProbe: Probe {
    package let objectTypes = ["partition_object"]

    package init() {}

    /// Collects the mounts whose mount points the object selects.
    package func collect(_ object: ResolvedObject, context: ProbeContext) -> CollectedObject {
        guard let entity = object.entity("mount_point") else {
            return .error("partition_object has no mount_point entity")
        }
        let target = context.target
        guard let text = target.readText("/proc/mounts") else {
            if target.can(.runtimeState) { return .error("cannot read /proc/mounts") }
            return .found([])
        }
        let mounts = PartitionProbe.parseMounts(text).filter { $0.type != "rootfs" }
        let uuids = context.cache.value("partition.uuids") { PartitionProbe.deviceUUIDs(target) }
        var items: [OVALItem] = []
        for value in entity.values {
            switch entity.operation {
            case .equals:
                if let m = mounts.first(where: { $0.directory == value }),
                   let item = PartitionProbe.item(m, target: target, uuids: uuids) {
                    items.append(item)
                }
            case .notEqual:
                for m in mounts where m.directory != value {
                    guard let item = PartitionProbe.item(m, target: target, uuids: uuids) else { break }
                    items.append(item)
                }
            case .patternMatch:
                let regex: OVALRegex
                do { regex = try OVALRegex(value) } catch { return .error("\(error)") }
                do {
                    for m in mounts where try regex.isMatch(m.directory) {
                        guard let item = PartitionProbe.item(m, target: target, uuids: uuids) else { break }
                        items.append(item)
                    }
                } catch {
                    // A regex limit is no "no match": the object is an error.
                    return .error("mount_point pattern '\(value)': \(error)")
                }
            default:
                return CollectedObject(flag: .doesNotExist,
                                       messages: ["partition_object: operation '\(entity.operation.rawValue)' selects nothing"])
            }
        }
        return .found(items)
    }

    /// One line of a mount table.
    package struct Mount: Sendable, Equatable {
        package var device: String
        package var directory: String
        package var type: String
        package var options: String
    }

    /// Parses a mount table as `getmntent(3)` does: blank and `#` lines skipped, fields
    /// split on blanks, octal escapes decoded, missing fields empty.
    package static func parseMounts(_ text: String) -> [Mount] {
        var out: [Mount] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let fields = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" }).map { decode(String($0)) }
            func field(_ i: Int) -> String { i < fields.count ? fields[i] : "" }
            out.append(Mount(device: field(0), directory: field(1), type: field(2), options: field(3)))
        }
        return out
    }

    /// Decodes getmntent's escapes: `\040` space, `\011` tab, `\012` newline,
    /// `\134` and `\\` backslash; anything else stays as written.
    static func decode(_ s: String) -> String {
        guard s.contains("\\") else { return s }
        let bytes = Array(s.utf8)
        let codes: [[UInt8]: UInt8] = [Array("040".utf8): 0x20, Array("011".utf8): 0x09,
                                       Array("012".utf8): 0x0a, Array("134".utf8): 0x5c]
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x5c {
                if i + 3 < bytes.count, let b = codes[Array(bytes[(i + 1)...(i + 3)])] {
                    out.append(b)
                    i += 4
                    continue
                }
                if i + 1 < bytes.count, bytes[i + 1] == 0x5c {
                    out.append(0x5c)
                    i += 2
                    continue
                }
            }
            out.append(bytes[i])
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The item for mount `m`, or nil when `statvfs` fails on its mount point.
    static func item(_ m: Mount, target: Target, uuids: [String: String]) -> OVALItem? {
        guard let st = try? target.fileSystemStatistics(m.directory).get() else { return nil }
        var options = m.options.split(separator: ",", omittingEmptySubsequences: true).map(String.init)
        let flags = st.flags
        if flags & 32 != 0 { options.append("remount") }      // MS_REMOUNT
        if flags & 4096 != 0 { options.append("bind") }       // MS_BIND (== ST_RELATIME)
        if flags & 8192 != 0 { options.append("move") }       // MS_MOVE (== ST_NOSYMFOLLOW)
        let uuid = uuids[canonicalDevice(m.device, target: target)] ?? uuids[m.device]
        let blocks = st.blocks, free = st.freeBlocks
        var fields = [
            OVALItemField("mount_point", m.directory),
            OVALItemField("device", m.device),
            OVALItemField("uuid", uuid ?? "", status: uuid == nil ? .doesNotExist : .exists),
            OVALItemField("fs_type", m.type),
        ]
        fields += options.map { OVALItemField("mount_options", $0) }
        fields += [
            OVALItemField("total_space", String(blocks), datatype: .int),
            OVALItemField("space_used", String(blocks &- free), datatype: .int),
            OVALItemField("space_left", String(free), datatype: .int),
        ]
        return OVALItem(fields: fields)
    }

    /// Device path → UUID from the target's `/dev/disk/by-uuid` links, then its blkid
    /// cache (`/run/blkid/blkid.tab`) for devices the links do not name.
    static func deviceUUIDs(_ target: Target) -> [String: String] {
        var map: [String: String] = [:]
        let dir = "/dev/disk/by-uuid"
        for name in (target.listDirectory(dir) ?? []).sorted() {
            let device = canonicalDevice(dir + "/" + name, target: target)
            if device != dir + "/" + name, map[device] == nil {
                map[device] = name
            }
        }
        if let tab = target.readText("/run/blkid/blkid.tab") {
            for (device, uuid) in parseBlkidCache(tab) where map[device] == nil {
                map[device] = uuid
            }
        }
        return map
    }

    /// (device, UUID) pairs from a blkid cache file:
    /// `<device DEVNO="0x0801" UUID="..." TYPE="ext4">/dev/sda1</device>`.
    static func parseBlkidCache(_ text: String) -> [(String, String)] {
        var out: [(String, String)] = []
        for line in text.split(separator: "\n") {
            guard line.hasPrefix("<device "), let close = line.firstIndex(of: ">"),
                  let end = line.range(of: "</device>") else { continue }
            let attributes = line[line.startIndex..<close]
            let device = String(line[line.index(after: close)..<end.lowerBound])
            guard let u = attributes.range(of: " UUID=\"") else { continue }
            let rest = attributes[u.upperBound...]
            guard let q = rest.firstIndex(of: "\"") else { continue }
            out.append((device, String(rest[rest.startIndex..<q])))
        }
        return out
    }

    /// `path` with symbolic links followed inside the target (at most 40), lexically
    /// normalized; the path itself when it is not a link.
    static func canonicalDevice(_ path: String, target: Target) -> String {
        var current = lexical(path)
        for _ in 0..<40 {
            guard let dest = target.readLink(current) else { return current }
            if dest.hasPrefix("/") {
                current = lexical(dest)
            } else {
                let parent = current.split(separator: "/").dropLast().joined(separator: "/")
                current = lexical("/" + parent + "/" + dest)
            }
        }
        return current
    }

    private static func lexical(_ path: String) -> String {
        var out: [Substring] = []
        for c in path.split(separator: "/") {
            if c == "." { continue }
            if c == ".." { _ = out.popLast(); continue }
            out.append(c)
        }
        return "/" + out.joined(separator: "/")
    }
}
