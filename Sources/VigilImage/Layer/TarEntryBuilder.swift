import Foundation
import VigilTarget

/// Makes a `LayerEntry` from an entry's own header and the extended headers before it.
/// Precedence: a GNU long name or link name, then the entry's PAX header, then global PAX
/// headers, then the header block itself. Global headers apply to every later entry as
/// PAX says, except `path`, `linkpath` and `size`, which name one file and are ignored there.
/// An empty value in an entry's PAX header cancels a global one (the block's field is used).
struct TarEntryBuilder {
    let header: TarHeader
    let local: PendingMeta
    let globals: PaxRecords

    init(header: TarHeader, local: PendingMeta, globals: PaxRecords) {
        self.header = header
        self.local = local
        self.globals = globals
    }

    func build() throws -> LayerEntry {
        let pathBytes = try checkedPath(local.longName ?? record("path") ?? header.name, what: "path")
        let path = PathBytes.string(pathBytes)
        do {
            let kind = try self.kind(path: pathBytes)
            var entry = LayerEntry(path: path, kind: kind)
            entry.mode = UInt32(truncatingIfNeeded: header.mode) & 0o7777
            entry.uid = try id("uid", header.uid)
            entry.gid = try id("gid", header.gid)
            entry.size = kind == .regular ? try size() : 0
            entry.modifyTime = try record("mtime").map { try PaxValue.time($0, key: "mtime") } ?? header.modifyTime
            entry.accessTime = try record("atime").map { try PaxValue.time($0, key: "atime") }
            entry.changeTime = try record("ctime").map { try PaxValue.time($0, key: "ctime") }
            if kind == .symlink || kind == .hardlink {
                entry.linkName = PathBytes.string(try checkedPath(local.longLink ?? record("linkpath") ?? header.linkName,
                                                                  what: "link target"))
            }
            if kind == .characterDevice || kind == .blockDevice {
                entry.deviceMajor = try device(header.deviceMajor, "major")
                entry.deviceMinor = try device(header.deviceMinor, "minor")
            }
            entry.xattrs = try xattrs()
            return entry
        } catch var fault as LayerFault {
            fault.entry = fault.entry ?? path
            throw fault
        }
    }

    /// The value of PAX record `key` for this entry (nil: use the header block's field).
    private func record(_ key: String) -> [UInt8]? {
        if let value = local.local[key] { return value.isEmpty ? nil : value }
        if key == "path" || key == "linkpath" || key == "size" { return nil }
        return globals[key]
    }

    private func checkedPath(_ bytes: [UInt8], what: String) throws -> [UInt8] {
        if bytes.isEmpty && what == "path" { throw LayerFault("corrupt tar header: an entry with an empty name") }
        if bytes.count > TarReader.maxPathBytes {
            throw LayerFault("the \(what) is \(bytes.count) bytes long, more than \(TarReader.maxPathBytes)",
                             entry: PathBytes.string(bytes.prefix(200)) + "…")
        }
        if bytes.contains(0) { throw LayerFault("the \(what) holds a NUL byte", entry: PathBytes.string(bytes)) }
        return bytes
    }

    private func kind(path: [UInt8]) throws -> LayerEntry.Kind {
        switch header.typeflag {
        // Old tars mark a directory with a trailing slash on a type-'\0' entry.
        case 0: return path.last == UInt8(ascii: "/") ? .directory : .regular
        case UInt8(ascii: "0"), UInt8(ascii: "7"): return .regular
        case UInt8(ascii: "1"): return .hardlink
        case UInt8(ascii: "2"): return .symlink
        case UInt8(ascii: "3"): return .characterDevice
        case UInt8(ascii: "4"): return .blockDevice
        case UInt8(ascii: "5"): return .directory
        case UInt8(ascii: "6"): return .fifo
        case UInt8(ascii: "S"):
            throw LayerFault("entry type 'S' (a GNU sparse file): sparse files are not supported")
        default:
            throw LayerFault("unsupported tar entry type \(Self.spell(header.typeflag))")
        }
    }

    /// A type flag for messages: 'V', or its code when not printable.
    static func spell(_ flag: UInt8) -> String {
        (0x21...0x7E).contains(flag) ? "'\(Character(Unicode.Scalar(flag)))'" : "0x" + String(flag, radix: 16)
    }

    private func size() throws -> Int64 {
        let value = try record("size").map { try PaxValue.decimal($0, key: "size", max: .max) } ?? header.size
        guard value >= 0 else { throw LayerFault("corrupt tar header: negative size \(value)") }
        return value
    }

    private func id(_ key: String, _ field: Int64) throws -> UInt32 {
        if let value = record(key) { return UInt32(try PaxValue.decimal(value, key: key, max: Int64(UInt32.max))) }
        guard let id = UInt32(exactly: field) else {
            throw LayerFault("corrupt tar header: \(key) \(field) is out of range")
        }
        return id
    }

    private func device(_ field: Int64, _ which: String) throws -> UInt32 {
        guard let number = UInt32(exactly: field) else {
            throw LayerFault("corrupt tar header: device \(which) number \(field) is out of range")
        }
        return number
    }

    /// `SCHILY.xattr.NAME` (raw value) and `LIBARCHIVE.xattr.NAME` (name percent-encoded,
    /// value base64) records, global ones first. An empty value is an empty attribute.
    private func xattrs() throws -> [String: [UInt8]] {
        var out: [String: [UInt8]] = [:]
        for records in [globals, local.local] {
            for (key, value) in records.values {
                if key.hasPrefix("SCHILY.xattr.") {
                    let name = String(key.dropFirst("SCHILY.xattr.".count))
                    out[name] = value
                } else if key.hasPrefix("LIBARCHIVE.xattr.") {
                    let name = PathBytes.string(PaxValue.percentDecoded(String(key.dropFirst("LIBARCHIVE.xattr.".count))))
                    out[name] = try PaxValue.base64(value, key: key)
                }
            }
        }
        return out
    }
}
