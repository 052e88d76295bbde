import XCTest
import Foundation
import VigilOVAL
@testable import VigilProbes

final class ShadowProbeTests: XCTestCase {
    private func username(_ value: String, _ op: OVALOperation = .equals) -> ResolvedEntity {
        ResolvedEntity(entity: OVALEntity(name: "username", value: value, operation: op), values: [value])
    }

    private func object(_ value: String, _ op: OVALOperation = .equals) -> ResolvedObject {
        let e = username(value, op)
        return ResolvedObject(object: OVALObject(id: "oval:t:obj:1", type: "shadow_object", family: "unix",
                                                 entities: [e.entity]), entities: [e])
    }

    private func table(_ text: String) -> AccountTable<ShadowEntry> {
        AccountTable(entries: AccountFiles.parseShadow(Array(text.utf8)), error: nil)
    }

    func testItemsWithSeveralHashTypes() {
        let t = table("""
            root:$6$abcdefgh$hash:19000:0:99999:7:::
            md5:$1$salt$hash:19001:1:90:14:30:20000:
            yes:$y$j9T$salt$hash:19002::::::
            bf:$2b$12$hash:19003::::::
            locked:!$6$salt$hash:19004::::::
            sys:*:19005:0:99999:7:::
            """)
        let r = ShadowProbe.collect(username: username(".*", .patternMatch), table: t)
        XCTAssertEqual(r.flag, .complete)
        XCTAssertEqual(r.items.map { $0.value("encrypt_method") }, ["SHA-512", "MD5", nil, nil, "DES", "DES"])
        let md5 = r.items[1]
        XCTAssertEqual(md5.fields.map(\.name), ["username", "password", "chg_lst", "chg_allow", "chg_req", "exp_warn",
                                                "exp_inact", "exp_date", "flag", "encrypt_method"])
        XCTAssertEqual(md5.fields.map(\.value), ["md5", "$1$salt$hash", "19001", "1", "90", "14", "30", "20000",
                                                 "18446744073709551615", "MD5"])
        XCTAssertEqual(md5.fields.filter { $0.datatype == .int }.count, 6)
        XCTAssertEqual(md5.fields[8].datatype, .string)
    }

    func testSelectionAndErrors() {
        let t = table("root:*:1:0:99999:7:::\nalice:!:2:0:99999:7:::\n")
        XCTAssertEqual(ShadowProbe.collect(username: username("alice"), table: t).items.count, 1)
        XCTAssertEqual(ShadowProbe.collect(username: username("bob"), table: t).flag, .doesNotExist)
        let broken = AccountTable<ShadowEntry>(entries: [], error: "cannot read /etc/shadow")
        XCTAssertEqual(ShadowProbe.collect(username: username("root"), table: broken).flag, .error)
    }

    func testOfflineRootIsNotApplicable() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-sh-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/etc", withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: root + "/etc/shadow", contents: Data("root:*:1:0:99999:7:::\n".utf8))
        let r = ProbeCollector(target: try RootTarget(root), probes: [ShadowProbe()]).collect(object("root"))
        XCTAssertEqual(r.flag, .notApplicable)
        XCTAssertTrue(r.items.isEmpty)
    }

    func testLiveHostMatchesGetent() throws {
        // getent asks glibc's NSS, an implementation independent of Vigil's parser.
        guard FileManager.default.isReadableFile(atPath: "/etc/shadow"),
              FileManager.default.isExecutableFile(atPath: "/usr/bin/getent") else {
            throw XCTSkip("/etc/shadow or getent is not available here")
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/getent")
        p.arguments = ["shadow", "root"]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw XCTSkip("getent shadow root failed") }
        let expected = out.trimmingCharacters(in: .newlines).split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        let r = ShadowProbe().collect(object("root"), context: ProbeContext(target: Targets.host))
        let item = try XCTUnwrap(r.items.first)
        XCTAssertEqual(item.value("password"), expected[1])
        XCTAssertEqual(item.value("chg_lst"), expected[2].isEmpty ? "-1" : expected[2])
        XCTAssertEqual(item.value("chg_req"), expected[4].isEmpty ? "-1" : expected[4])
        XCTAssertEqual(item.value("exp_inact"), expected[6].isEmpty ? "-1" : expected[6])
    }
}
