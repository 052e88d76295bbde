import CSQLite3
import XCTest
import Foundation
import VigilOVAL
@testable import VigilProbes

/// Builds rpm header blobs (index count, data length, index, store; big-endian).
private struct HeaderBuilder {
    private var entries: [(tag: Int32, type: UInt32, count: UInt32, data: [UInt8], align: Int)] = []

    mutating func string(_ tag: Int32, _ s: String) { entries.append((tag, 6, 1, Array(s.utf8) + [0], 1)) }
    mutating func strings(_ tag: Int32, _ list: [String]) {
        entries.append((tag, 8, UInt32(list.count), list.flatMap { Array($0.utf8) + [0] }, 1))
    }
    mutating func int32s(_ tag: Int32, _ values: [UInt32]) {
        entries.append((tag, 4, UInt32(values.count), values.flatMap { be($0) }, 4))
    }
    mutating func binary(_ tag: Int32, _ bytes: [UInt8]) { entries.append((tag, 7, UInt32(bytes.count), bytes, 1)) }

    private func be(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 0xff), UInt8(v >> 8 & 0xff), UInt8(v & 0xff)] }

    func blob() -> [UInt8] {
        var store: [UInt8] = []
        var index: [UInt8] = []
        for e in entries {
            while store.count % e.align != 0 { store.append(0) }
            index += be(UInt32(bitPattern: e.tag)) + be(e.type) + be(UInt32(store.count)) + be(e.count)
            store += e.data
        }
        return be(UInt32(entries.count)) + be(UInt32(store.count)) + index + store
    }
}

/// Writes an rpmdb.sqlite with the system's libsqlite3.
private func writeRPMSQLite(_ path: String, blobs: [[UInt8]]) throws {
    var db: OpaquePointer?
    XCTAssertEqual(sqlite3_open(path, &db), SQLITE_OK)
    defer { _ = sqlite3_close(db) }
    XCTAssertEqual(sqlite3_exec(db, "CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)",
                                nil, nil, nil), SQLITE_OK)
    for blob in blobs {
        var stmt: OpaquePointer?
        XCTAssertEqual(sqlite3_prepare_v2(db, "INSERT INTO Packages (blob) VALUES (?)", -1, &stmt, nil), SQLITE_OK)
        // A nil destructor is SQLITE_STATIC: the bytes outlive the step.
        blob.withUnsafeBytes { raw in
            _ = sqlite3_bind_blob(stmt, 1, raw.baseAddress, Int32(raw.count), nil)
            XCTAssertEqual(sqlite3_step(stmt), SQLITE_DONE)
        }
        _ = sqlite3_finalize(stmt)
    }
}

final class RPMInfoProbeTests: XCTestCase {
    static let keyID: [UInt8] = [0x19, 0x9e, 0x2f, 0x91, 0xfd, 0x43, 0x1d, 0x51]

    /// A v4 OpenPGP signature packet whose issuer subpacket (unhashed) is `keyID`.
    static func v4Signature() -> [UInt8] {
        let hashed: [UInt8] = [5, 2, 0x65, 0x00, 0x00, 0x01]
        let unhashed: [UInt8] = [9, 16] + keyID
        var body: [UInt8] = [4, 0, 1, 8, 0, UInt8(hashed.count)] + hashed + [0, UInt8(unhashed.count)] + unhashed
        body += [0xab, 0xcd, 0x00, 0x08, 0xff]
        return [0xc2, UInt8(body.count)] + body
    }

    static func package(name: String, version: String, release: String, epoch: UInt32?, arch: String?,
                        signature: [UInt8]? = nil, files: [(String, String)] = []) -> [UInt8] {
        var h = HeaderBuilder()
        h.string(1000, name)
        h.string(1001, version)
        h.string(1002, release)
        if let epoch { h.int32s(1003, [epoch]) }
        if let arch { h.string(1022, arch) }
        if let signature { h.binary(259, signature) }
        if !files.isEmpty {
            var dirs: [String] = []
            var indexes: [UInt32] = []
            for (dir, _) in files {
                if !dirs.contains(dir) { dirs.append(dir) }
                indexes.append(UInt32(dirs.firstIndex(of: dir) ?? 0))
            }
            h.int32s(1116, indexes)
            h.strings(1117, files.map(\.1))
            h.strings(1118, dirs)
        }
        return h.blob()
    }

    private func fixture(at dir: String = "/var/lib/rpm") throws -> SysProbeFixture {
        let fx = try SysProbeFixture()
        try fx.mkdir(dir)
        try writeRPMSQLite(fx.root + dir + "/rpmdb.sqlite", blobs: [
            Self.package(name: "bash", version: "5.1.8", release: "6.el9", epoch: nil, arch: "x86_64",
                         signature: Self.v4Signature(), files: [("/usr/bin/", "bash"), ("/etc/skel/", ".bashrc")]),
            Self.package(name: "kernel", version: "5.14.0", release: "70.el9", epoch: 1, arch: "x86_64"),
            Self.package(name: "gpg-pubkey", version: "fd431d51", release: "4ae0493b", epoch: nil, arch: nil),
            [0, 0, 0, 9],
        ])
        return fx
    }

    /// A stand-in for a machine where rpm is configured: it holds `/usr/lib/rpm/rpmrc`.
    private let rpmHost: SysProbeFixture = {
        let host = try! SysProbeFixture()
        try! host.write("/usr/lib/rpm/rpmrc", "# rpmrc\n")
        return host
    }()

    private var rpmConfiguration: String { rpmHost.root + "/usr/lib/rpm/rpmrc" }

    private func collect(_ fx: SysProbeFixture, _ name: String, _ op: OVALOperation = .equals,
                         behaviors: [String: String] = [:]) throws -> CollectedObject {
        RPMInfoProbe(configurationFile: rpmConfiguration)
            .collect(sysObject("rpminfo_object", [("name", name, op)], behaviors: behaviors),
                     context: ProbeContext(target: try fx.offlineTarget()))
    }

    func testPackageItemFromSQLiteDatabase() throws {
        let fx = try fixture()
        let r = try collect(fx, "bash")
        XCTAssertEqual(r.flag, .complete)
        let item = try XCTUnwrap(r.items.first)
        XCTAssertEqual(item.fields.map(\.name), ["name", "arch", "epoch", "release", "version", "evr",
                                                 "signature_keyid", "extended_name"])
        XCTAssertEqual(item.fields.map(\.value), ["bash", "x86_64", "(none)", "6.el9", "5.1.8", "0:5.1.8-6.el9",
                                                  "199e2f91fd431d51", "bash-0:5.1.8-6.el9.x86_64"])
        XCTAssertEqual(item.fields(named: "evr").first?.datatype, .evrString)

        let kernel = try XCTUnwrap(try collect(fx, "kernel").items.first)
        XCTAssertEqual(kernel.value("epoch"), "1")
        XCTAssertEqual(kernel.value("evr"), "1:5.14.0-70.el9")
        XCTAssertEqual(kernel.value("signature_keyid"), "0")
    }

    func testOperationsAndFilepaths() throws {
        let fx = try fixture(at: "/usr/lib/sysimage/rpm")
        XCTAssertEqual(try collect(fx, "^(k|gpg)", .patternMatch).items.compactMap { $0.value("name") }, ["kernel", "gpg-pubkey"])
        XCTAssertEqual(try collect(fx, "bash", .notEqual).items.compactMap { $0.value("name") }, ["kernel", "gpg-pubkey"])
        let pubkey = try XCTUnwrap(try collect(fx, "gpg-pubkey").items.first)
        XCTAssertEqual(pubkey.value("arch"), "(none)")
        XCTAssertEqual(pubkey.value("extended_name"), "gpg-pubkey-0:fd431d51-4ae0493b.(none)")
        let files = try collect(fx, "bash", behaviors: ["filepaths": "true"])
        XCTAssertEqual(files.items.first?.fields(named: "filepath").map(\.value), ["/usr/bin/bash", "/etc/skel/.bashrc"])
        let bad = try collect(fx, "(ba", .patternMatch)
        XCTAssertEqual(bad.flag, .error)
        XCTAssertEqual(bad.items.first?.status, .error)
        XCTAssertEqual(bad.items.first?.value("name"), "(ba")
        XCTAssertEqual(try collect(fx, "bash", .greaterThan).flag, .error)
        XCTAssertEqual(try collect(fx, "zsh").flag, .doesNotExist)
    }

    func testNoDatabaseMeansNoItems() throws {
        let fx = try SysProbeFixture()
        XCTAssertEqual(try collect(fx, "bash").flag, .doesNotExist)
        try fx.mkdir("/var/lib/rpm")
        XCTAssertEqual(try collect(fx, "bash").flag, .doesNotExist)
    }

    /// oscap 1.3.7 flags every rpm object `not applicable` when librpm cannot read the
    /// scanning machine's /usr/lib/rpm/rpmrc, live and offline, whatever the root holds.
    func testNotApplicableWhereRPMIsNotConfigured() throws {
        let fx = try fixture()
        try fx.write("/usr/lib/rpm/rpmrc", "# the root's own rpmrc does not count\n")
        let missing = rpmHost.root + "/nonexistent/rpmrc"
        for type in ["rpminfo_object", "rpmverify_object", "rpmverifyfile_object", "rpmverifypackage_object"] {
            let probe: any Probe = type == "rpminfo_object" ? RPMInfoProbe(configurationFile: missing)
                                                            : RPMVerifyProbe(configurationFile: missing)
            let object = sysObject(type, [("name", "bash", .equals)])
            for target in [try fx.offlineTarget(), Targets.host] {
                let r = probe.collect(object, context: ProbeContext(target: target))
                XCTAssertEqual(r.flag, .notApplicable, "\(type) on \(target.label)")
                XCTAssertTrue(r.items.isEmpty)
                XCTAssertTrue(r.messages.first?.contains(missing) == true, "\(r.messages)")
            }
        }
        // Where rpm is configured, rpminfo reads the root's database; rpmverify is not supported.
        XCTAssertEqual(try collect(fx, "bash").flag, .complete)
        let verify = RPMVerifyProbe(configurationFile: rpmConfiguration)
            .collect(sysObject("rpmverifyfile_object", [("name", "bash", .equals)]), context: ProbeContext(target: try fx.offlineTarget()))
        XCTAssertEqual(verify.flag, .error)
        // This machine: oscap's verdict follows its own rpmrc, so does Vigil's.
        let live = RPMInfoProbe().collect(sysObject("rpminfo_object", [("name", "bash", .equals)]), context: ProbeContext(target: Targets.host))
        XCTAssertEqual(live.flag == .notApplicable, !RPMConfiguration.isUsable(RPMConfiguration.hostFile))
    }

    func testBerkeleyDatabaseIsAnError() throws {
        let fx = try SysProbeFixture()
        try fx.writeBytes("/var/lib/rpm/Packages", [0, 0, 0, 0, 0x61, 0x15, 0x06, 0x00])
        let r = try collect(fx, "bash")
        XCTAssertEqual(r.flag, .error)
        XCTAssertTrue(r.messages.joined().contains("Berkeley DB"))
    }

    func testSignatureKeyIDs() {
        XCTAssertEqual(RPMPackageRecord.issuerKeyID(Self.v4Signature()), "199e2f91fd431d51")
        let v3body: [UInt8] = [3, 5, 0, 1, 2, 3, 4] + Self.keyID + [1, 2, 0xaa, 0xbb]
        XCTAssertEqual(RPMPackageRecord.issuerKeyID([0x88, UInt8(v3body.count)] + v3body), "199e2f91fd431d51")
        XCTAssertNil(RPMPackageRecord.issuerKeyID([0x99, 0x01]))
        XCTAssertNil(RPMPackageRecord.issuerKeyID([]))
        XCTAssertNil(RPMHeaderView([0, 0, 0, 1]))
        XCTAssertNil(RPMHeaderView([0, 0, 0, 1, 0, 0, 0, 0]))
    }

    /// The reader goes through `CSQLite3` on the bytes the target read: the database is
    /// left as it was (no journal or lock file beside it), a database in WAL mode is read,
    /// and a file that is not a database, or has no Packages table, is an error naming
    /// SQLite's reason.
    func testSQLiteReaderReadsInMemoryAndReportsSQLiteErrors() throws {
        let fx = try FileFixture()
        let dir = fx.root + "/db ?#%é"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let blob = Self.package(name: "bash", version: "5.1", release: "1", epoch: nil, arch: "x86_64")
        try writeRPMSQLite(dir + "/rpmdb.sqlite", blobs: [blob, blob])
        let target = try RootTarget(fx.root)
        let bytes = try target.readFile("/db ?#%é/rpmdb.sqlite")
        guard case .success(let blobs) = RPMSQLiteReader.blobs(database: bytes) else {
            return XCTFail("\(RPMSQLiteReader.blobs(database: bytes))")
        }
        XCTAssertEqual(blobs, [blob, blob])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), ["rpmdb.sqlite"])

        // WAL mode (as rpm may leave it): the main file's pages are read.
        var db: OpaquePointer?
        XCTAssertEqual(sqlite3_open(dir + "/rpmdb.sqlite", &db), SQLITE_OK)
        XCTAssertEqual(sqlite3_exec(db, "PRAGMA journal_mode=WAL", nil, nil, nil), SQLITE_OK)
        _ = sqlite3_close(db)
        let wal = try target.readFile("/db ?#%é/rpmdb.sqlite")
        XCTAssertEqual(wal[18], 2, "the fixture is in WAL mode")
        XCTAssertEqual(try RPMSQLiteReader.blobs(database: wal).get(), [blob, blob])

        try fx.file("/garbage.sqlite", String(repeating: "not a database ", count: 100))
        guard case .failure(let garbage) = RPMSQLiteReader.blobs(database: try target.readFile("/garbage.sqlite")) else {
            return XCTFail("a file that is not a database was read")
        }
        XCTAssertTrue(garbage.description.contains("not a database"), garbage.description)

        XCTAssertEqual(sqlite3_open(fx.root + "/empty.sqlite", &db), SQLITE_OK)
        XCTAssertEqual(sqlite3_exec(db, "CREATE TABLE Other (x)", nil, nil, nil), SQLITE_OK)
        _ = sqlite3_close(db)
        guard case .failure(let noTable) = RPMSQLiteReader.blobs(database: try target.readFile("/empty.sqlite")) else {
            return XCTFail("a database without Packages was read")
        }
        XCTAssertTrue(noTable.description.contains("no such table: Packages"), noTable.description)
        XCTAssertEqual(RPMSQLiteReader.blobs(database: []).failureText?.isEmpty, false)
    }
}

private extension Result where Failure == RPMReadError {
    var failureText: String? {
        if case .failure(let e) = self { return e.description }
        return nil
    }
}
