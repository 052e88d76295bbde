import VigilOVAL

/// `sysctl_object` (unix): kernel parameters read from `/proc/sys` through the target,
/// as OpenSCAP 1.3.7 does on Linux.
///
/// - The tree under `/proc/sys` is walked once per scan (7 directory levels deep, links
///   followed); each file's path relative to `/proc/sys` with `/` turned into `.` is its
///   name (`net/ipv4/ip_forward` → `net.ipv4.ip_forward`), selected by the `name`
///   entity with any operation.
/// - Files without the owner-read bit (write-only, e.g. `vm/compact_memory`) are skipped,
///   like `sysctl(8)` does; so are files that read empty (`stable_secret` before it is set).
/// - A value is at most 8191 bytes. It is split into one `value` field per line: every
///   newline, and every byte that is neither printable ASCII nor white space, ends a
///   value; a final empty piece is dropped (so `"1\n"` is one value `"1"`). Tabs stay
///   inside values (`net.ipv4.tcp_rmem` is `"4096\t131072\t6291456"`).
/// - A file that cannot be read is an error item.
/// - Runtime-only: `not applicable` on an offline root (see `OfflinePolicy`).
/// - A pattern that does not compile selects nothing (as in OpenSCAP), with a message.
package struct SysctlProbe: Probe {
    package let objectTypes = ["sysctl_object"]
    /// A running system only: an offline root answers `not applicable` (`OfflinePolicy`).
    package func needs(for objectType: String) -> TargetCapabilities { .runtimeState }

    /// Where the parameters live inside the target.
    static let root = "/proc/sys"
    /// How many directory levels below `/proc/sys` are searched (OpenSCAP's PROC_SYS_MAXDEPTH).
    static let maxDepth = 7
    /// The most bytes of a value that are read.
    static let maxValueBytes = 8191
    /// The most values one parameter yields.
    static let maxValues = 512

    package init() {}

    /// Collects the parameters whose names the object's `name` entity selects.
    package func collect(_ object: ResolvedObject, context: ProbeContext) -> CollectedObject {
        guard let nameEntity = object.entity("name") else {
            return .error("sysctl_object has no name entity")
        }
        let entries = context.cache.value("sysctl.entries") { SysctlProbe.listParameters(context.target) }
        var items: [OVALItem] = []
        var messages: [String] = []
        if let problem = SysctlProbe.patternProblem(nameEntity) { messages.append(problem) }
        for entry in entries where nameEntity.matches(entry.name) {
            let bytes: [UInt8]
            do {
                bytes = try context.target.readFile(entry.path)
            } catch {
                items.append(OVALItem(status: .error, fields: [OVALItemField("name", entry.name)]))
                messages.append("Can't read sysctl value from \"\(entry.path)\": \(error)")
                continue
            }
            guard let values = SysctlProbe.values(of: bytes) else { continue }
            var fields = [OVALItemField("name", entry.name)]
            fields += values.map { OVALItemField("value", $0) }
            items.append(OVALItem(fields: fields))
        }
        return CollectedObject(flag: CollectedObject.found(items).flag, items: items, messages: messages)
    }

    /// A readable parameter: its dotted name and its path inside the target.
    package struct Parameter: Sendable, Equatable {
        package var name: String
        package var path: String
    }

    /// Every readable parameter file under `/proc/sys` of `target`, sorted by path.
    package static func listParameters(_ target: Target) -> [Parameter] {
        var out: [Parameter] = []
        func walk(_ dir: String, _ relative: [String], depth: Int) {
            guard let names = target.listDirectory(dir) else { return }
            for name in names.sorted() {
                let path = dir + "/" + name
                guard let info = target.fileInfo(path) else { continue }
                if info.isDirectory {
                    if depth < maxDepth { walk(path, relative + [name], depth: depth + 1) }
                    continue
                }
                // Write-only files are skipped, as sysctl(8) does.
                guard info.mode & 0o400 != 0 else { continue }
                out.append(Parameter(name: (relative + [name]).joined(separator: "."), path: path))
            }
        }
        walk(root, [], depth: 0)
        return out
    }

    /// The values of a parameter file's contents, or nil when it is empty (skipped).
    package static func values(of raw: [UInt8]) -> [String]? {
        let bytes = raw.prefix(maxValueBytes)
        guard !bytes.isEmpty else { return nil }
        var pieces: [[UInt8]] = [[]]
        for b in bytes {
            let printable = b >= 0x20 && b <= 0x7e
            let space = b == 0x20 || (b >= 0x09 && b <= 0x0d)
            let ends = (!printable && !space) || b == 0x0a
            if ends && pieces.count < maxValues {
                pieces.append([])
            } else {
                pieces[pieces.count - 1].append(b)
            }
        }
        if pieces.count > 1, pieces[pieces.count - 1].isEmpty { pieces.removeLast() }
        return pieces.map { String(decoding: $0, as: UTF8.self) }
    }

    private static func patternProblem(_ entity: ResolvedEntity) -> String? {
        guard entity.operation == .patternMatch, !entity.isNil else { return nil }
        for v in entity.values {
            do { _ = try OVALRegex(v) } catch { return "\(error)" }
        }
        return nil
    }
}
