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
package struct FileProbe: FileWalkingProbe {
    package init() {}

    package var objectTypes: [String] { ["file_object"] }

    package func collect(_ object: ResolvedObject, context: ProbeContext) -> CollectedObject {
        collectWalks(object, context: context)
    }

    func prepare(_ variant: FileObjectVariant, context: ProbeContext,
                 collection: inout FileProbeCollection) -> (request: FileWalkRequest, run: FileItemJudge)? {
        guard let request = collection.request({ try FileWalkRequest(variant: variant) }) else { return nil }
        return (request, FileItemJudge(objects: [variant.object], context: context))
    }

    func visit(_ entry: FileWalkEntry, run judge: FileItemJudge, context: ProbeContext,
               into collection: inout FileProbeCollection) {
        if !collection.isFull, let item = judge.kept(entry, by: 0) { collection.add(item) }
    }

    /// The file_item of a walked entry with the fields in `fields` (all by default), and
    /// the statuses of all the fields the whole item has; nil when `lstat` fails.
    static func item(for entry: FileWalkEntry, context: ProbeContext,
                     fields: FileItemFields = .all) -> (item: OVALItem, statuses: ExistenceCounts)? {
        let target = context.target
        let fullPath = entry.filepath
        guard let st = entry.lstat ?? target.fileInfo(fullPath, followLinks: false) else { return nil }
        var statuses = ExistenceCounts()
        statuses.exists = entry.filename != nil ? 22 : 21
        var out: [OVALItemField] = []
        out.reserveCapacity(fields == .all ? 23 : fields.rawValue.nonzeroBitCount)
        if entry.filename != nil && fields.contains(.filepath) { out.append(OVALItemField("filepath", fullPath)) }
        if fields.contains(.path) { out.append(OVALItemField("path", entry.path)) }
        if fields.contains(.filename) { out.append(OVALItemField("filename", entry.filename ?? "")) }
        if fields.contains(.type) { out.append(OVALItemField("type", st.typeName)) }
        if fields.contains(.groupID) { out.append(OVALItemField("group_id", String(st.gid), datatype: .int)) }
        if fields.contains(.userID) { out.append(OVALItemField("user_id", String(st.uid), datatype: .int)) }
        if fields.contains(.aTime) { out.append(OVALItemField("a_time", String(st.accessTime), datatype: .int)) }
        if fields.contains(.cTime) { out.append(OVALItemField("c_time", String(st.changeTime), datatype: .int)) }
        if fields.contains(.mTime) { out.append(OVALItemField("m_time", String(st.modifyTime), datatype: .int)) }
        if fields.contains(.size) { out.append(OVALItemField("size", String(st.size), datatype: .int)) }
        for (i, (name, bit)) in FileProbe.modeBits.enumerated() where fields.contains(FileItemFields.modeBit(i)) {
            out.append(OVALItemField(name, st.has(bit) ? "true" : "false", datatype: .boolean))
        }
        if !context.uses("has_extended_acl") {
            // No state, filter or variable of the content reads it: skip a system call per file.
        } else if let acl = target.hasExtendedACL(fullPath) {
            statuses.exists += 1
            if fields.contains(.hasExtendedACL) {
                out.append(OVALItemField("has_extended_acl", acl ? "true" : "false", datatype: .boolean))
            }
        } else {
            statuses.doesNotExist += 1
            if fields.contains(.hasExtendedACL) {
                out.append(OVALItemField("has_extended_acl", "", datatype: .boolean, status: .doesNotExist))
            }
        }
        return (OVALItem(fields: out), statuses)
    }

    /// The permission fields of a file_item, in the order the probe writes them.
    static let modeBits: [(String, mode_t)] = [
        ("suid", S_ISUID), ("sgid", S_ISGID), ("sticky", S_ISVTX),
        ("uread", S_IRUSR), ("uwrite", S_IWUSR), ("uexec", S_IXUSR),
        ("gread", S_IRGRP), ("gwrite", S_IWGRP), ("gexec", S_IXGRP),
        ("oread", S_IROTH), ("owrite", S_IWOTH), ("oexec", S_IXOTH),
    ]
}

/// The fields of a file_item a probe may leave out of an item that is only judged by
/// filters (`ItemPrefilter`).
struct FileItemFields: OptionSet {
    let rawValue: UInt32
    static let filepath = FileItemFields(rawValue: 1 << 0)
    static let path = FileItemFields(rawValue: 1 << 1)
    static let filename = FileItemFields(rawValue: 1 << 2)
    static let type = FileItemFields(rawValue: 1 << 3)
    static let groupID = FileItemFields(rawValue: 1 << 4)
    static let userID = FileItemFields(rawValue: 1 << 5)
    static let aTime = FileItemFields(rawValue: 1 << 6)
    static let cTime = FileItemFields(rawValue: 1 << 7)
    static let mTime = FileItemFields(rawValue: 1 << 8)
    static let size = FileItemFields(rawValue: 1 << 9)
    static let hasExtendedACL = FileItemFields(rawValue: 1 << 10)
    /// `FileProbe.modeBits[i]`.
    static func modeBit(_ i: Int) -> FileItemFields { FileItemFields(rawValue: 1 << (11 + UInt32(i))) }
    static let all = FileItemFields(rawValue: (1 << 23) - 1)

    init(rawValue: UInt32) { self.rawValue = rawValue }

    /// The named fields (every field when a name is not a file_item field).
    init(names: Set<String>) {
        var mask: FileItemFields = []
        for name in names {
            switch name {
            case "filepath": mask.insert(.filepath)
            case "path": mask.insert(.path)
            case "filename": mask.insert(.filename)
            case "type": mask.insert(.type)
            case "group_id": mask.insert(.groupID)
            case "user_id": mask.insert(.userID)
            case "a_time": mask.insert(.aTime)
            case "c_time": mask.insert(.cTime)
            case "m_time": mask.insert(.mTime)
            case "size": mask.insert(.size)
            case "has_extended_acl": mask.insert(.hasExtendedACL)
            default:
                if let i = FileProbe.modeBits.firstIndex(where: { $0.0 == name }) {
                    mask.insert(.modeBit(i))
                } else {
                    mask = .all
                }
            }
        }
        self = mask
    }
}

/// Judges walked entries for one or more file objects: each filter of an object is
/// judged, in turn, on an item holding only the fields that filter reads, and the whole
/// item is built only for an entry some object keeps. An entry selected for several
/// objects in a row (one shared walk) yields one whole item.
///
/// A filter that reads only `type`, `user_id`, `group_id` and permission bits judges every
/// file with the same mode, owner and group alike, so its judgements are remembered by
/// those: most files of a tree then cost a table lookup.
final class FileItemJudge {
    private let objects: [ResolvedObject]
    private let context: ProbeContext
    /// Per object, per filter: the fields its partial item needs (nil: no filters).
    private let stageFields: [[FileItemFields]?]
    private var lastEntry: FileWalkEntry?
    private var whole: OVALItem??
    private var memo = FileJudgementMemo()
    /// Whether the content reads `has_extended_acl` (asked once, not per file).
    private let readsACL: Bool
    /// The fields whose values depend only on `st_mode`, `st_uid` and `st_gid`.
    private static let ownerAndMode: FileItemFields = {
        var f: FileItemFields = [.type, .userID, .groupID]
        for i in FileProbe.modeBits.indices { f.insert(.modeBit(i)) }
        return f
    }()
    init(objects: [ResolvedObject], context: ProbeContext) {
        self.objects = objects
        self.context = context
        readsACL = context.uses("has_extended_acl")
        stageFields = objects.map { object in
            object.prefilter.map { $0.stages.map { FileItemFields(names: $0.fields) } }
        }
    }

    /// The whole item of `entry` if object `index` keeps it, else nil.
    func kept(_ entry: FileWalkEntry, by index: Int) -> OVALItem? {
        if lastEntry != entry {
            lastEntry = entry
            whole = nil
        }
        if let prefilter = objects[index].prefilter, let fields = stageFields[index] {
            // With has_extended_acl in use, statuses depend on more than the mode: no memo.
            let memoizable = entry.lstat != nil && !readsACL
            for (stage, (judge, wanted)) in zip(prefilter.stages, fields).enumerated() {
                if memoizable, FileItemJudge.ownerAndMode.isSuperset(of: wanted), let st = entry.lstat,
                   let key = FileJudgementMemo.Key(object: index, stage: stage, mode: st.mode, uid: st.uid, gid: st.gid,
                                                   named: entry.filename != nil) {
                    if let known = memo[key] {
                        if !known { return nil }
                        continue
                    }
                    let passes = judgePartial(entry, judge, wanted)
                    memo[key] = passes
                    if !passes { return nil }
                } else if !judgePartial(entry, judge, wanted) {
                    return nil
                }
            }
        }
        if whole == nil { whole = .some(FileProbe.item(for: entry, context: context)?.item) }
        return whole!
    }

    private func judgePartial(_ entry: FileWalkEntry, _ stage: ItemPrefilter.Stage, _ fields: FileItemFields) -> Bool {
        guard let partial = FileProbe.item(for: entry, context: context, fields: fields) else { return false }
        return stage.keeps(partial.item, statusesOfWholeItem: partial.statuses)
    }
}

/// The judgements of `FileItemJudge` by object, filter stage, mode, owner, group and
/// whether the item is named: a fixed table of 4,096 slots, each remembering the last key
/// that fell into it. A file walk asks it once per file and object, so it hashes by a
/// multiply-shift of the packed key instead of `Hasher`, which was a tenth of a walk's own
/// time.
struct FileJudgementMemo {
    /// A judgement's key, packed into two words.
    struct Key: Equatable {
        let high: UInt64
        let low: UInt64
        /// Nil past 65,535 objects or 32,767 stages (not remembered).
        init?(object: Int, stage: Int, mode: UInt32, uid: UInt32, gid: UInt32, named: Bool) {
            guard (0...0xFFFF).contains(object), (0...0x7FFF).contains(stage) else { return nil }
            high = UInt64(object) << 48 | UInt64(stage) << 33 | (named ? 1 << 32 : 0) | UInt64(mode)
            low = UInt64(uid) << 32 | UInt64(gid)
        }
        var slot: Int {
            let mixed = (high &* 0x9E37_79B9_7F4A_7C15) ^ (low &* 0xC2B2_AE3D_27D4_EB4F)
            return Int(truncatingIfNeeded: mixed >> (64 - FileJudgementMemo.slotBits))
        }
    }

    static let slotBits = 12
    private var keys = [Key?](repeating: nil, count: 1 << FileJudgementMemo.slotBits)
    private var values = [Bool](repeating: false, count: 1 << FileJudgementMemo.slotBits)

    subscript(key: Key) -> Bool? {
        get {
            let i = key.slot
            return keys[i] == key ? values[i] : nil
        }
        set {
            let i = key.slot
            keys[i] = newValue == nil ? nil : key
            values[i] = newValue ?? false
        }
    }
}
