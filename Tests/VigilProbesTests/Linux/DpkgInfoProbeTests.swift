import XCTest
import Foundation
import VigilOVAL
@testable import VigilProbes

final class DpkgInfoProbeTests: XCTestCase {
    static var status: String { template.replacingOccurrences(of: "amd64", with: DpkgDatabase.buildArchitecture) }
    static let template = """
        Package: bash
        Status: install ok installed
        Priority: required
        Architecture: amd64
        Version: 5.2.15-2+b8
        Description: GNU Bourne Again SHell
         Bash is an sh-compatible command language interpreter.

        Package: libc6
        Status: deinstall ok config-files
        Architecture: amd64
        Version: 2.36-9

        Package: foo
        Status: install ok unpacked
        Architecture: all
        Version: 1:2.0-1-3

        Package: native
        Status: hold ok half-configured
        Architecture: amd64
        Version: 2.0

        Package: halfi
        Status: install reinstreq half-installed
        Architecture: amd64
        Version: 3.0-1

        Package: gone
        Status: purge ok not-installed
        Architecture: amd64

        Package: bash
        Status: install ok installed
        Architecture: i386
        Version: 9.9-1

        Package: onlyi386
        Status: install ok installed
        Architecture: i386
        Version: 1.0-1

        """

    private func collect(_ names: [String], _ op: OVALOperation = .equals, status: String? = status) throws -> CollectedObject {
        let fx = try SysProbeFixture()
        if let status { try fx.write("/var/lib/dpkg/status", status) }
        let entity = OVALEntity(name: "name", value: names.first ?? "", operation: op)
        let object = ResolvedObject(object: OVALObject(id: "oval:t:obj:1", type: "dpkginfo_object", family: "linux",
                                                       entities: [entity]),
                                    entities: [ResolvedEntity(entity: entity, values: names)])
        return DpkgInfoProbe().collect(object, context: ProbeContext(target: try fx.offlineTarget()))
    }

    func testInstalledPackageItem() throws {
        let r = try collect(["bash"])
        XCTAssertEqual(r.flag, .complete)
        let item = try XCTUnwrap(r.items.first)
        XCTAssertEqual(item.fields.map(\.name), ["name", "arch", "epoch", "release", "version", "evr"])
        XCTAssertEqual(item.fields.map(\.value), ["bash", DpkgDatabase.buildArchitecture, "0", "2+b8", "5.2.15", "0:5.2.15-2+b8"])
        XCTAssertEqual(item.fields.last?.datatype, .evrString)
    }

    func testVersionSplitLikeOpenSCAP() throws {
        let foo = try XCTUnwrap(try collect(["foo"]).items.first)
        XCTAssertEqual(foo.fields.map(\.value), ["foo", "all", "1", "1-3", "2.0", "1:2.0-1-3"])
        let native = try XCTUnwrap(try collect(["native"]).items.first)
        XCTAssertEqual(native.fields.map(\.value), ["native", DpkgDatabase.buildArchitecture, "0", "", "2.0", "0:2.0"])
    }

    func testWhichStatesCountAsInstalled() throws {
        XCTAssertEqual(try collect(["halfi"]).flag, .complete)
        XCTAssertEqual(try collect(["libc6"]).flag, .doesNotExist)
        XCTAssertEqual(try collect(["gone"]).flag, .doesNotExist)
    }

    func testNamesAreLiteralWhateverTheOperation() throws {
        XCTAssertEqual(try collect(["^bash$"], .patternMatch).flag, .doesNotExist)
        XCTAssertEqual(try collect(["bash"], .patternMatch).items.first?.value("name"), "bash")
        XCTAssertEqual(try collect(["BASH"]).flag, .doesNotExist)
        XCTAssertEqual(try collect(["bash", "foo", "nothere"]).items.compactMap { $0.value("name") }, ["bash", "foo"])
    }

    func testArchitectureQualifiers() throws {
        let native = DpkgDatabase.buildArchitecture
        let db = DpkgDatabase(statusText: Self.template, nativeArchitecture: "amd64")
        XCTAssertEqual(db.installed("bash:i386")?.version, "9.9-1")
        XCTAssertEqual(db.installed("bash")?.version, "5.2.15-2+b8")
        XCTAssertEqual(db.installed("foo:all")?.name, "foo")
        XCTAssertEqual(db.installed("foo:native")?.name, "foo")
        XCTAssertNil(db.installed("onlyi386"))
        XCTAssertEqual(db.installed("onlyi386:i386")?.name, "onlyi386")
        XCTAssertFalse(native.isEmpty)
    }

    func testMissingStatusFileHasNoItems() throws {
        let r = try collect(["bash"], status: nil)
        XCTAssertEqual(r.flag, .doesNotExist)
        XCTAssertTrue(r.items.isEmpty)
    }

    func testLiveHostAgreesWithDpkgQuery() throws {
        guard FileManager.default.fileExists(atPath: "/var/lib/dpkg/status"),
              FileManager.default.isExecutableFile(atPath: "/usr/bin/dpkg-query") else {
            throw XCTSkip("not a dpkg system")
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/dpkg-query")
        p.arguments = ["-W", "-f=${Version} ${Architecture}", "dpkg"]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        p.waitUntilExit()
        let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: " ")
        let entity = OVALEntity(name: "name", value: "dpkg")
        let object = ResolvedObject(object: OVALObject(id: "oval:t:obj:1", type: "dpkginfo_object", family: "linux",
                                                       entities: [entity]),
                                    entities: [ResolvedEntity(entity: entity, values: ["dpkg"])])
        let r = DpkgInfoProbe().collect(object, context: ProbeContext(target: Targets.host))
        let item = try XCTUnwrap(r.items.first)
        let version = try XCTUnwrap(out.first.map(String.init))
        XCTAssertEqual(item.value("arch"), out.last.map(String.init))
        XCTAssertEqual(item.value("evr"), version.contains(":") ? version : "0:" + version)
    }
}
