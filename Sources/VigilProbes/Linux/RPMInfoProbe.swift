import VigilOVAL

/// `rpminfo_object` (linux): installed RPM packages from the target's rpm database.
///
/// Where the database lives: `/var/lib/rpm` or `/usr/lib/sysimage/rpm` inside the
/// target, in SQLite form (`rpmdb.sqlite`, RHEL 9, Fedora 33+), read through the system's
/// libsqlite3 (the one GRDB links too; opened read-only and `immutable`, so the scanned
/// system is never written). The Berkeley DB (`Packages`, RHEL 7/8) and NDB
/// (`Packages.db`, SUSE) formats are not read: an object on such a target gets an
/// error flag saying so.
///
/// Where rpm is not configured on the machine running the scan (no readable
/// `/usr/lib/rpm/rpmrc`, as on Debian), every rpminfo object is `not applicable`, live
/// and offline, as in OpenSCAP 1.3.7 (see `RPMConfiguration`). Where it is, a target
/// without an rpm database has no packages (flag `does not exist`).
///
/// Semantics follow OpenSCAP's rpminfo probe:
/// - `name` supports `equals`, `not equal` and `pattern match` (each variable value on its
///   own); any other operation is an error flag. A pattern that does not compile gives an
///   error item holding the pattern as its name.
/// - Items: name, arch, epoch ("(none)" when the package has none), release, version,
///   evr (`epoch:version-release`, epoch "0" when none, datatype `evr_string`),
///   signature_keyid (the 16-hex-digit issuer of the `SIGGPG`, else `SIGPGP`, signature;
///   "0" when there is none), extended_name (`name-epoch:version-release.arch`), and one
///   `filepath` per packaged file when the object's behavior `filepaths="true"`.
package struct RPMInfoProbe: Probe {
    package let objectTypes = ["rpminfo_object"]
    /// rpm's configuration file on the machine running the scan (`RPMConfiguration`).
    package let configurationFile: String

    package init(configurationFile: String = RPMConfiguration.hostFile) {
        self.configurationFile = configurationFile
    }

    /// Collects the packages the object's `name` entity selects.
    package func collect(_ object: ResolvedObject, context: ProbeContext) -> CollectedObject {
        if let na = RPMConfiguration.notApplicable(object, file: configurationFile, context: context) { return na }
        guard let nameEntity = object.entity("name") else {
            return .error("rpminfo_object has no name entity")
        }
        switch nameEntity.operation {
        case .equals, .notEqual, .patternMatch: break
        default:
            return .error("rpminfo_object: operation '\(nameEntity.operation.rawValue)' is not supported")
        }
        let packages: [RPMPackageRecord]
        switch RPMInfoProbe.database(context) {
        case .absent:
            return .found([])
        case .failure(let message):
            return .error(message)
        case .packages(let list):
            packages = list
        }
        let withFiles = object.behaviors["filepaths"] == "true"
        var items: [OVALItem] = []
        for value in nameEntity.values {
            switch nameEntity.operation {
            case .equals:
                items += packages.filter { $0.name == value }.map { $0.item(withFiles: withFiles) }
            case .notEqual:
                items += packages.filter { $0.name != value }.map { $0.item(withFiles: withFiles) }
            default:
                let regex: OVALRegex
                do {
                    regex = try OVALRegex(value)
                } catch {
                    items.append(OVALItem(status: .error, fields: [OVALItemField("name", value)]))
                    continue
                }
                do {
                    items += try packages.filter { try regex.isMatch($0.name) }.map { $0.item(withFiles: withFiles) }
                } catch {
                    // A regex limit is no "no match": the object is an error.
                    return .error("name pattern '\(value)': \(error)")
                }
            }
        }
        return .found(items)
    }

    /// What the target's rpm database holds.
    enum Contents: Sendable {
        case absent
        case failure(String)
        case packages([RPMPackageRecord])
    }

    /// The scan's rpm packages, read once.
    static func database(_ context: ProbeContext) -> Contents {
        context.cache.value("rpm.packages") { load(context.target) }
    }

    /// Directories inside the target where rpm keeps its database.
    static let databaseDirectories = ["/var/lib/rpm", "/usr/lib/sysimage/rpm"]

    /// Finds and reads the target's rpm database.
    static func load(_ target: Target) -> Contents {
        for dir in databaseDirectories {
            if let info = target.fileInfo(dir + "/rpmdb.sqlite"), info.isRegular {
                let bytes: [UInt8]
                do { bytes = try target.readFile(dir + "/rpmdb.sqlite") } catch { return .failure("\(error)") }
                switch RPMSQLiteReader.blobs(database: bytes) {
                case .failure(let message):
                    return .failure("\(dir)/rpmdb.sqlite: \(message)")
                case .success(let blobs):
                    return .packages(blobs.compactMap { RPMPackageRecord(headerBlob: $0) })
                }
            }
        }
        for dir in databaseDirectories {
            for (file, format) in [("Packages", "Berkeley DB"), ("Packages.db", "NDB")] {
                if let info = target.fileInfo(dir + "/" + file), info.isRegular {
                    return .failure("\(dir)/\(file): rpm databases in \(format) format are not supported")
                }
            }
        }
        return .absent
    }
}

/// One installed package, as rpminfo reports it.
struct RPMPackageRecord: Sendable, Equatable {
    var name: String
    var arch: String
    /// "(none)" when the header has no epoch, as `headerFormat("%{EPOCH}")` prints.
    var epoch: String
    var version: String
    var release: String
    var signatureKeyID: String
    var files: [String]

    /// Reads the tags rpminfo needs from a header blob (index count, data length,
    /// index entries, data store; all big-endian). Nil when the blob is malformed.
    init?(headerBlob blob: [UInt8]) {
        guard let h = RPMHeaderView(blob) else { return nil }
        name = h.string(1000) ?? "(none)"
        version = h.string(1001) ?? "(none)"
        release = h.string(1002) ?? "(none)"
        epoch = h.int32s(1003)?.first.map { String($0) } ?? "(none)"
        arch = h.string(1022) ?? "(none)"
        let signature = h.binary(262) ?? h.binary(259)
        signatureKeyID = signature.flatMap(RPMPackageRecord.issuerKeyID) ?? "0"
        files = RPMPackageRecord.filePaths(h)
    }

    init(name: String, arch: String, epoch: String, version: String, release: String,
         signatureKeyID: String = "0", files: [String] = []) {
        self.name = name
        self.arch = arch
        self.epoch = epoch
        self.version = version
        self.release = release
        self.signatureKeyID = signatureKeyID
        self.files = files
    }

    /// The rpminfo item, fields in schema order.
    func item(withFiles: Bool) -> OVALItem {
        let e = epoch == "(none)" ? "0" : epoch
        var fields = [
            OVALItemField("name", name),
            OVALItemField("arch", arch),
            OVALItemField("epoch", epoch),
            OVALItemField("release", release),
            OVALItemField("version", version),
            OVALItemField("evr", "\(e):\(version)-\(release)", datatype: .evrString),
            OVALItemField("signature_keyid", signatureKeyID),
            OVALItemField("extended_name", "\(name)-\(e):\(version)-\(release).\(arch)"),
        ]
        if withFiles { fields += files.map { OVALItemField("filepath", $0) } }
        return OVALItem(fields: fields)
    }

    /// Full paths of the packaged files: DIRNAMES[DIRINDEXES[i]] + BASENAMES[i], or the
    /// old OLDFILENAMES list.
    static func filePaths(_ h: RPMHeaderView) -> [String] {
        if let bases = h.strings(1117), let dirs = h.strings(1118), let idx = h.int32s(1116),
           idx.count == bases.count {
            var out: [String] = []
            for (i, base) in bases.enumerated() {
                let d = Int(idx[i])
                guard d < dirs.count else { continue }
                out.append(dirs[d] + base)
            }
            return out
        }
        return h.strings(1027) ?? []
    }
}

/// Big-endian 32-bit integer at `offset` (the caller checks bounds).
func be32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
    UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3])
}

/// Read-only view of an rpm header blob.
struct RPMHeaderView {
    private let blob: [UInt8]
    private let storeStart: Int
    private let storeLength: Int
    private var entries: [Int32: (type: UInt32, offset: Int, count: Int)] = [:]

    init?(_ blob: [UInt8]) {
        guard blob.count >= 8 else { return nil }
        let il = Int(be32(blob, 0)), dl = Int(be32(blob, 4))
        guard il > 0, il < 0x10000, dl < 0x1000_0000, 8 + il * 16 + dl <= blob.count else { return nil }
        self.blob = blob
        storeStart = 8 + il * 16
        storeLength = dl
        for i in 0..<il {
            let e = 8 + i * 16
            let tag = Int32(bitPattern: be32(blob, e))
            let type = be32(blob, e + 4)
            let offset = Int(Int32(bitPattern: be32(blob, e + 8)))
            let count = Int(be32(blob, e + 12))
            guard offset >= 0, offset <= dl else { continue }
            if entries[tag] == nil { entries[tag] = (type, offset, count) }
        }
    }

    /// A STRING, I18NSTRING or the first of a STRING_ARRAY.
    func string(_ tag: Int32) -> String? {
        guard let e = entries[tag], [6, 8, 9].contains(e.type) else { return nil }
        return strings(from: e.offset, count: 1).first
    }

    /// A STRING_ARRAY (or a single STRING as a one-element array).
    func strings(_ tag: Int32) -> [String]? {
        guard let e = entries[tag], [6, 8, 9].contains(e.type) else { return nil }
        let list = strings(from: e.offset, count: e.type == 6 ? 1 : e.count)
        return list.count == (e.type == 6 ? 1 : e.count) ? list : nil
    }

    /// An INT32 array.
    func int32s(_ tag: Int32) -> [UInt32]? {
        guard let e = entries[tag], e.type == 4, e.offset + e.count * 4 <= storeLength else { return nil }
        return (0..<e.count).map { be32(blob, storeStart + e.offset + $0 * 4) }
    }

    /// BIN data.
    func binary(_ tag: Int32) -> [UInt8]? {
        guard let e = entries[tag], e.type == 7, e.offset + e.count <= storeLength else { return nil }
        return Array(blob[(storeStart + e.offset)..<(storeStart + e.offset + e.count)])
    }

    private func strings(from offset: Int, count: Int) -> [String] {
        var out: [String] = []
        var p = storeStart + offset
        let end = storeStart + storeLength
        while out.count < count && p < end {
            guard let nul = blob[p..<end].firstIndex(of: 0) else { break }
            out.append(String(decoding: blob[p..<nul], as: UTF8.self))
            p = nul + 1
        }
        return out
    }
}

/// Why an rpm database could not be read.
struct RPMReadError: Error, CustomStringConvertible, Sendable {
    let description: String
    init(_ description: String) { self.description = description }
}
