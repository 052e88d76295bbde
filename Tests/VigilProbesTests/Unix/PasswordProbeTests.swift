import XCTest
import Foundation
import VigilOVAL
@testable import VigilProbes

final class PasswordProbeTests: XCTestCase {
    private var root = ""

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-pw-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root + "/etc", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/var/log", withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: root)
    }

    private func write(_ path: String, _ text: String) {
        _ = FileManager.default.createFile(atPath: root + path, contents: Data(text.utf8))
    }

    private func object(_ username: String, _ op: OVALOperation = .equals) -> ResolvedObject {
        let e = OVALEntity(name: "username", value: username, operation: op)
        return ResolvedObject(object: OVALObject(id: "oval:t:obj:1", type: "password_object", family: "unix", entities: [e]),
                              entities: [ResolvedEntity(entity: e, values: [username])])
    }

    private func collect(_ object: ResolvedObject) throws -> CollectedObject {
        PasswordProbe().collect(object, context: ProbeContext(target: try RootTarget(root)))
    }

    func testItemFieldsInSchemaOrderWithLastLogin() throws {
        write("/etc/passwd", "root:x:0:0:root:/root:/bin/bash\nalice:x:1:100:Alice A:/home/alice:/bin/sh\n")
        var lastlog = [UInt8](repeating: 0, count: 292 * 2)
        lastlog[292] = 0x10; lastlog[293] = 0x27   // uid 1: 10000
        _ = FileManager.default.createFile(atPath: root + "/var/log/lastlog", contents: Data(lastlog))
        let r = try collect(object("alice"))
        XCTAssertEqual(r.flag, .complete)
        XCTAssertEqual(r.items.count, 1)
        let item = try XCTUnwrap(r.items.first)
        XCTAssertEqual(item.fields.map(\.name), ["username", "password", "user_id", "group_id", "gcos",
                                                 "home_dir", "login_shell", "last_login"])
        XCTAssertEqual(item.fields.map(\.value), ["alice", "x", "1", "100", "Alice A", "/home/alice", "/bin/sh", "10000"])
        XCTAssertEqual(item.fields.filter { $0.datatype == .int }.map(\.name), ["user_id", "group_id", "last_login"])
        // root's record is all zero: last login 0, not -1.
        XCTAssertEqual(try collect(object("root")).items.first?.value("last_login"), "0")
    }

    func testNoLastlogGivesMinusOneAndPatternSelectsSeveral() throws {
        write("/etc/passwd", "root:x:0:0:root:/root:/bin/bash\nsvc1:x:901:901::/:/usr/sbin/nologin\nsvc2:x:902:902::/:/usr/sbin/nologin\n")
        let r = try collect(object("^svc", .patternMatch))
        XCTAssertEqual(r.items.compactMap { $0.value("username") }, ["svc1", "svc2"])
        XCTAssertEqual(r.items.compactMap { $0.value("last_login") }, ["-1", "-1"])
    }

    func testDuplicatesAndCompatLines() throws {
        write("/etc/passwd", "dup:x:11:11:a:/a:/bin/a\ndup:x:12:12:b:/b:/bin/b\n+nis\n")
        XCTAssertEqual(try collect(object("dup")).items.compactMap { $0.value("user_id") }, ["11", "12"])
        // glibc leaves password, gcos, home and shell NULL on a bare "+name" line; OpenSCAP omits them.
        let nis = try collect(object("+nis"))
        XCTAssertEqual(nis.items.first?.fields.map(\.name), ["username", "user_id", "group_id", "last_login"])
    }

    func testMissingUserAndMissingFile() throws {
        write("/etc/passwd", "root:x:0:0:root:/root:/bin/bash\n")
        XCTAssertEqual(try collect(object("nobody")).flag, .doesNotExist)
        try FileManager.default.removeItem(atPath: root + "/etc/passwd")
        let r = try collect(object("root"))
        XCTAssertEqual(r.flag, .error)
        XCTAssertFalse(r.messages.isEmpty)
    }

    func testLiveHostRootMatchesGetpwnam() throws {
        guard let pw = getpwnam("root") else { throw XCTSkip("no root account") }
        let r = PasswordProbe().collect(object("root"), context: ProbeContext(target: Targets.host))
        let item = try XCTUnwrap(r.items.first)
        XCTAssertEqual(item.value("user_id"), String(pw.pointee.pw_uid))
        XCTAssertEqual(item.value("home_dir"), String(cString: pw.pointee.pw_dir))
        XCTAssertEqual(item.value("login_shell"), String(cString: pw.pointee.pw_shell))
    }
}
