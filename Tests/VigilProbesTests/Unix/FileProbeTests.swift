import CVigilSystem
import Foundation
import VigilOVAL
import XCTest
@testable import VigilProbes

final class FileProbeTests: XCTestCase {
    private let fieldOrder = ["filepath", "path", "filename", "type", "group_id", "user_id", "a_time", "c_time",
                              "m_time", "size", "suid", "sgid", "sticky", "uread", "uwrite", "uexec", "gread",
                              "gwrite", "gexec", "oread", "owrite", "oexec", "has_extended_acl"]

    private func collect(_ fx: FileFixture, _ entities: [ResolvedEntity], _ behaviors: [String: String] = [:]) throws -> CollectedObject {
        FileProbe().collect(Obj.object("file_object", entities, behaviors: behaviors), context: try fx.context())
    }

    func testRegularFileItemHasSchemaFieldsAndStatValues() throws {
        let fx = try FileFixture()
        try fx.file("/etc/tool", "12345", mode: 0o4751)
        let result = try collect(fx, [Obj.entity("filepath", "/etc/tool")])
        XCTAssertEqual(result.flag, .complete)
        let item = try XCTUnwrap(result.items.first)
        XCTAssertEqual(item.fields.map(\.name), fieldOrder)
        let attrs = try FileManager.default.attributesOfItem(atPath: fx.host("/etc/tool"))
        XCTAssertEqual(item.value("filepath"), "/etc/tool")
        XCTAssertEqual(item.value("path"), "/etc")
        XCTAssertEqual(item.value("filename"), "tool")
        XCTAssertEqual(item.value("type"), "regular")
        XCTAssertEqual(item.value("size"), "5")
        XCTAssertEqual(item.value("user_id"), String(getuid()))
        XCTAssertEqual(item.value("group_id"), String(getgid()))
        let mtime = try XCTUnwrap(attrs[.modificationDate] as? Date)
        XCTAssertEqual(item.value("m_time"), String(Int64(mtime.timeIntervalSince1970.rounded(.down))))
        let bits = ["suid", "sgid", "sticky", "uread", "uwrite", "uexec", "gread", "gwrite", "gexec", "oread", "owrite", "oexec"]
        XCTAssertEqual(bits.map { item.value($0) ?? "?" },
                       ["true", "false", "false", "true", "true", "true", "true", "false", "true", "false", "false", "true"])
        XCTAssertEqual(item.fields.first { $0.name == "size" }?.datatype, .int)
        XCTAssertEqual(item.fields.first { $0.name == "suid" }?.datatype, .boolean)
        XCTAssertEqual(item.value("has_extended_acl"), "false")
    }

    func testLinkIsDescribedByLstat() throws {
        let fx = try FileFixture()
        try fx.file("/etc/real.conf", "content that is long")
        try fx.link("/etc/alias.conf", to: "real.conf")
        try fx.link("/etc/dangling", to: "/nowhere")
        let alias = try collect(fx, [Obj.entity("filepath", "/etc/alias.conf")])
        XCTAssertEqual(alias.values("type"), ["symbolic link"])
        XCTAssertEqual(alias.values("size"), [String("real.conf".utf8.count)])
        // has_extended_acl follows the link; a dangling link has none to read.
        let dangling = try collect(fx, [Obj.entity("path", "/etc"), Obj.entity("filename", "dangling")])
        let field = try XCTUnwrap(dangling.items.first?.fields.first { $0.name == "has_extended_acl" })
        XCTAssertEqual(field.status, .doesNotExist)
    }

    func testDirectoryItemHasNoFilepathAndEmptyFilename() throws {
        let fx = try FileFixture()
        try fx.dir("/var/log")
        let result = try collect(fx, [Obj.entity("path", "/var/log"), Obj.nilFilename])
        let item = try XCTUnwrap(result.items.first)
        XCTAssertEqual(item.fields.map(\.name), Array(fieldOrder.dropFirst()))
        XCTAssertEqual(item.value("path"), "/var/log")
        XCTAssertEqual(item.value("filename"), "")
        XCTAssertEqual(item.value("type"), "directory")
    }

    func testOtherFileTypesAreNamedAsOVALNamesThem() throws {
        let fx = try FileFixture()
        try fx.dir("/run")
        XCTAssertEqual(mkfifo(fx.host("/run/pipe"), 0o600), 0)
        let result = try collect(fx, [Obj.entity("filepath", "/run/pipe")])
        XCTAssertEqual(result.values("type"), ["fifo"])
    }

    func testExtendedACLIsDetected() throws {
        let fx = try FileFixture()
        try fx.file("/etc/shared", "x")
        guard FileProbeTests.setAccessACL(fx.host("/etc/shared"), extraUser: 4242) else {
            throw XCTSkip("the temporary file system does not store POSIX ACLs")
        }
        let result = try collect(fx, [Obj.entity("filepath", "/etc/shared")])
        XCTAssertEqual(result.values("has_extended_acl"), ["true"])
    }

    func testNothingFoundIsDoesNotExist() throws {
        let fx = try FileFixture()
        try fx.dir("/etc")
        XCTAssertEqual(try collect(fx, [Obj.entity("filepath", "/etc/none")]).flag, .doesNotExist)
        XCTAssertEqual(try collect(fx, [Obj.entity("path", "/none"), Obj.entity("filename", "x")]).flag, .doesNotExist)
    }

    func testMissingEntitiesAreAnError() throws {
        let fx = try FileFixture()
        XCTAssertEqual(try collect(fx, [Obj.entity("path", "/etc")]).flag, .error)
    }

    func testInvalidBehaviorCollectsNothing() throws {
        let fx = try FileFixture()
        try fx.file("/etc/a", "")
        let result = try collect(fx, [Obj.entity("path", "/etc"), Obj.entity("filename", "a")], ["recurse_direction": "left"])
        XCTAssertEqual(result.flag, .doesNotExist)
        XCTAssertTrue(result.items.isEmpty)
    }

    func testEveryVariableValueIsCollectedOnce() throws {
        let fx = try FileFixture()
        try fx.file("/etc/a", "")
        try fx.file("/etc/b", "")
        let values = ["/etc/a", "/etc/b", "/etc/a", "/etc/c"]
        let result = try collect(fx, [Obj.entity("filepath", values: values, varCheck: .atLeastOne)])
        XCTAssertEqual(result.values("filepath"), ["/etc/a", "/etc/b"])
        // With var_check="all" (the default) a path must equal every value: OpenSCAP finds nothing.
        XCTAssertEqual(try collect(fx, [Obj.entity("filepath", values: values)]).flag, .doesNotExist)
    }

    func testPatternFilenameRecursingDown() throws {
        let fx = try FileFixture()
        try fx.file("/etc/sysctl.d/a.conf", "")
        try fx.file("/etc/sysctl.d/sub/b.conf", "")
        try fx.file("/etc/sysctl.d/c.txt", "")
        let result = try collect(fx, [Obj.entity("path", "/etc/sysctl.d"), Obj.entity("filename", "^.*\\.conf$", .patternMatch)],
                                 ["recurse_direction": "down"])
        XCTAssertEqual(Set(result.values("filepath")), ["/etc/sysctl.d/a.conf", "/etc/sysctl.d/sub/b.conf"])
    }

    /// Sets an access ACL with one named user (an extended ACL) through `setxattr`.
    static func setAccessACL(_ path: String, extraUser: UInt32) -> Bool {
        var blob: [UInt8] = []
        func u16(_ v: UInt16) { blob += [UInt8(v & 0xff), UInt8(v >> 8)] }
        func u32(_ v: UInt32) { blob += [UInt8(v & 0xff), UInt8((v >> 8) & 0xff), UInt8((v >> 16) & 0xff), UInt8(v >> 24)] }
        u32(2)  // version
        for (tag, perm, id) in [(UInt16(0x01), UInt16(6), UInt32.max), (0x02, 4, extraUser), (0x04, 4, UInt32.max),
                                (0x10, 4, UInt32.max), (0x20, 4, UInt32.max)] {
            u16(tag); u16(perm); u32(id)
        }
        return blob.withUnsafeBytes { setxattr(path, "system.posix_acl_access", $0.baseAddress, $0.count, 0) } == 0
    }
}
