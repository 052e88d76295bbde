import Foundation
import VigilOVAL

/// `file_object` (unix): the metadata of files selected by `filepath`, or by `path` and
/// `filename` with file behaviors, as OpenSCAP 1.3.7's file probe reports it.
///
/// - Each item describes the selected path itself with `lstat`: a link is reported as
///   `type` "symbolic link" with the link's own owner, times and size (the length of its
///   target), even when the walk reached it by following it.
/// - `has_extended_acl` follows links (libacl's `acl_extended_file`); when it cannot be
///   read (dangling or looping link, no xattr support) the field has status
///   `does not exist`.
/// - A directory item (nil `filename`) has no `filepath` and an empty `filename`.
/// - A path that `lstat` cannot read yields no item and no error.
public struct FileProbe: Probe {
    public init() {}

    public var objectTypes: [String] { ["file_object"] }

    public func collect(_ object: ResolvedObject, context: ProbeContext) -> CollectedObject {
        var collection = FileProbeCollection()
        let source = FileWalk.source(for: context)
        for variant in FileWalkVariants.expand(object) {
            guard let request = collection.request({ try FileWalkRequest(variant: variant) }) else { continue }
            let report = FileWalk.walk(request, source: source, isLive: context.target.isLive) { entry in
                if let item = FileProbe.item(for: entry, context: context), object.keeps(item) {
                    collection.items.append(item)
                }
            }
            collection.absorb(report)
        }
        return collection.result
    }

    /// The file_item of a walked entry, or nil when `lstat` fails.
    static func item(for entry: FileWalkEntry, context: ProbeContext) -> OVALItem? {
        let target = context.target
        let fullPath = entry.filepath
        guard let st = entry.lstat ?? target.fileInfo(fullPath, followLinks: false) else { return nil }
        var fields: [OVALItemField] = []
        if entry.filename != nil { fields.append(OVALItemField("filepath", fullPath)) }
        fields.append(OVALItemField("path", entry.path))
        fields.append(OVALItemField("filename", entry.filename ?? ""))
        fields.append(OVALItemField("type", st.typeName))
        fields.append(OVALItemField("group_id", String(st.gid), datatype: .int))
        fields.append(OVALItemField("user_id", String(st.uid), datatype: .int))
        fields.append(OVALItemField("a_time", String(st.accessTime), datatype: .int))
        fields.append(OVALItemField("c_time", String(st.changeTime), datatype: .int))
        fields.append(OVALItemField("m_time", String(st.modifyTime), datatype: .int))
        fields.append(OVALItemField("size", String(st.size), datatype: .int))
        let bits: [(String, mode_t)] = [
            ("suid", S_ISUID), ("sgid", S_ISGID), ("sticky", S_ISVTX),
            ("uread", S_IRUSR), ("uwrite", S_IWUSR), ("uexec", S_IXUSR),
            ("gread", S_IRGRP), ("gwrite", S_IWGRP), ("gexec", S_IXGRP),
            ("oread", S_IROTH), ("owrite", S_IWOTH), ("oexec", S_IXOTH),
        ]
        for (name, bit) in bits {
            fields.append(OVALItemField(name, st.has(bit) ? "true" : "false", datatype: .boolean))
        }
        if !context.uses("has_extended_acl") {
            // No state, filter or variable of the content reads it: skip a system call per file.
        } else if let acl = target.hasExtendedACL(fullPath) {
            fields.append(OVALItemField("has_extended_acl", acl ? "true" : "false", datatype: .boolean))
        } else {
            fields.append(OVALItemField("has_extended_acl", "", datatype: .boolean, status: .doesNotExist))
        }
        return OVALItem(fields: fields)
    }
}
