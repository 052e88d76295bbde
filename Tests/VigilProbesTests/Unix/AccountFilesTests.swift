import XCTest
import Foundation
import VigilOVAL
@testable import VigilProbes

/// Expected values in these tests come from glibc 2.36's `fgetpwent`/`fgetspent` run on
/// the same lines (a small C program), and from OpenSCAP 1.3.7's shadow probe source.
final class AccountFilesTests: XCTestCase {
    private func passwd(_ text: String) -> [PasswdEntry] { AccountFiles.parsePasswd(Array(text.utf8)) }
    private func shadow(_ text: String) -> [ShadowEntry] { AccountFiles.parseShadow(Array(text.utf8)) }

    func testPasswdSkipsWhatGlibcSkips() {
        let text = [
            "root:x:0:0:root:/root:/bin/bash", "# comment:x:1:1::/:/bin/sh", "",
            "   spaced:x:5:5:Spaced User:/home/s:/bin/sh", "badid:x:abc:1::/:/bin/sh", "emptyid:x::1::/:/bin/sh",
            "short:x:7:7", "extra:x:8:8:g:/h:/bin/sh:more:stuff", "neg:x:-1:-2:n:/n:",
            "big:x:4294967296:5::/:/bin/false", "sp:x: 9 :9::/:/bin/sh", "+nis", "+plus:x:::::",
            "trail:x:10:10:g:/h:/bin/sh   ", "onlyname", "colon::13:13::/:", "hex:x:0x10:1::/:/s",
            "max:x:4294967295:1::/:/s", "lead:x: 5:+6::/:/s",
        ].joined(separator: "\n") + "\nnoeol:x:14:14::/:/bin/sh"
        let got = passwd(text).map { e in
            [e.name, e.password ?? "NULL", String(e.uid), String(e.gid), e.gecos ?? "NULL", e.home ?? "NULL", e.shell ?? "NULL"]
        }
        XCTAssertEqual(got, [
            ["root", "x", "0", "0", "root", "/root", "/bin/bash"],
            ["spaced", "x", "5", "5", "Spaced User", "/home/s", "/bin/sh"],
            ["short", "x", "7", "7", "", "", ""],
            ["extra", "x", "8", "8", "g", "/h", "/bin/sh:more:stuff"],
            ["+nis", "NULL", "0", "0", "NULL", "NULL", "NULL"],
            ["+plus", "x", "0", "0", "", "", ""],
            ["trail", "x", "10", "10", "g", "/h", "/bin/sh   "],
            ["colon", "", "13", "13", "", "/", ""],
            ["max", "x", "4294967295", "1", "", "/", "/s"],
            ["lead", "x", "5", "6", "", "/", "/s"],
            ["noeol", "x", "14", "14", "", "/", "/bin/sh"],
        ])
    }

    func testShadowFieldsAndRejectedLines() {
        let cases: [(String, [String]?)] = [
            ("root:$6$abc$def:19000:0:99999:7:::", ["root", "$6$abc$def", "19000", "0", "99999", "7", "-1", "-1", "18446744073709551615"]),
            ("root:x:19000:0:99999:7::", nil),
            ("root:x:19000:0:99999:7:", nil),
            ("root:x:19000:0:99999", ["root", "x", "19000", "0", "99999", "-1", "-1", "-1", "18446744073709551615"]),
            ("root:x:19000:0:99999   ", nil),
            ("root:x:1:2:3:   ", ["root", "x", "1", "2", "3", "-1", "-1", "-1", "18446744073709551615"]),
            ("root:x:19000:0:", nil),
            ("root:x", nil),
            ("+nis", ["+nis", "NULL", "0", "0", "0", "-1", "-1", "-1", "18446744073709551615"]),
            ("root:x:::::::", ["root", "x", "-1", "-1", "-1", "-1", "-1", "-1", "18446744073709551615"]),
            ("root:x:::::::0", ["root", "x", "-1", "-1", "-1", "-1", "-1", "-1", "0"]),
            ("root:x:1:2:3:4:5:6:7", ["root", "x", "1", "2", "3", "4", "5", "6", "7"]),
            ("root:x:1:2:3:4:5:6:7:", nil),
            ("root:x:1:2:3:4:5:6:7:8", nil),
            ("root:x:1:2:3:4:5:6:7 ", nil),
            ("root:x:1:2:3:4:5:6:+7", ["root", "x", "1", "2", "3", "4", "5", "6", "7"]),
            ("root:x:1:2:3: 4:5:6:7", ["root", "x", "1", "2", "3", "4", "5", "6", "7"]),
            ("root:x:-1::::::", nil),
            ("root:x:4294967295:2:3:4:5:6:7", ["root", "x", "-1", "2", "3", "4", "5", "6", "7"]),
            ("root:x:2147483648:2:3:4:5:6:7", ["root", "x", "-2147483648", "2", "3", "4", "5", "6", "7"]),
            ("root:x:99999999999:2:3:4:5:6:7", nil),
            ("root:x:1:2:3:4:5:6:4294967295", ["root", "x", "1", "2", "3", "4", "5", "6", "4294967295"]),
            ("root:x:1:2:3:4:5:6:0x5", nil),
            ("root:x:1:2:3:4:5:6:", ["root", "x", "1", "2", "3", "4", "5", "6", "18446744073709551615"]),
            ("root:x:1:2:3::::", ["root", "x", "1", "2", "3", "-1", "-1", "-1", "18446744073709551615"]),
        ]
        for (line, expected) in cases {
            let got = shadow(line).map { e in
                [e.name, e.password ?? "NULL", String(e.lastChange), String(e.minDays), String(e.maxDays),
                 String(e.warnDays), String(e.inactiveDays), String(e.expireDate), String(e.flag)]
            }
            XCTAssertEqual(got, expected.map { [$0] } ?? [], line)
        }
    }

    func testEncryptMethodFromHashPrefix() {
        XCTAssertEqual(AccountFiles.encryptMethod("$1$salt$hash"), "MD5")
        XCTAssertEqual(AccountFiles.encryptMethod("$2a$10$abc"), "Blowfish")
        XCTAssertEqual(AccountFiles.encryptMethod("$2$10$abc"), "Blowfish")
        XCTAssertNil(AccountFiles.encryptMethod("$2b$10$abc"))
        XCTAssertNil(AccountFiles.encryptMethod("$2y$10$abc"))
        XCTAssertEqual(AccountFiles.encryptMethod("$5$salt$hash"), "SHA-256")
        XCTAssertEqual(AccountFiles.encryptMethod("$6$salt$hash"), "SHA-512")
        XCTAssertEqual(AccountFiles.encryptMethod("$md5$salt$hash"), "Sun MD5")
        XCTAssertNil(AccountFiles.encryptMethod("$y$j9T$salt$hash"))
        XCTAssertNil(AccountFiles.encryptMethod("$6"))
        XCTAssertNil(AccountFiles.encryptMethod("$"))
        XCTAssertEqual(AccountFiles.encryptMethod("_J9..salt"), "BSDi")
        XCTAssertEqual(AccountFiles.encryptMethod("!$6$salt$hash"), "DES")
        XCTAssertEqual(AccountFiles.encryptMethod("*"), "DES")
        XCTAssertEqual(AccountFiles.encryptMethod("!!"), "DES")
        XCTAssertEqual(AccountFiles.encryptMethod(""), "DES")
        XCTAssertEqual(AccountFiles.encryptMethod("abJnggxhB/yWI"), "DES")
    }

    func testLastLoginReadsOneRecordByUID() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-acct-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/var/log", withIntermediateDirectories: true)
        var data = [UInt8](repeating: 0, count: 292 * 3)
        // uid 1: 1700000000 (little-endian int32), uid 2 left zero.
        let t: UInt32 = 1_700_000_000
        for i in 0..<4 { data[292 + i] = UInt8((t >> (8 * UInt32(i))) & 0xff) }
        _ = FileManager.default.createFile(atPath: root + "/var/log/lastlog", contents: Data(data))
        let target = try RootTarget(root)
        XCTAssertEqual(AccountFiles.lastLogin(uid: 1, target: target), 1_700_000_000)
        XCTAssertEqual(AccountFiles.lastLogin(uid: 2, target: target), 0)
        XCTAssertEqual(AccountFiles.lastLogin(uid: 3, target: target), -1)        // past the end
        XCTAssertEqual(AccountFiles.lastLogin(uid: 4_000_000_000, target: target), -1)
        try FileManager.default.removeItem(atPath: root + "/var/log/lastlog")
        XCTAssertEqual(AccountFiles.lastLogin(uid: 1, target: target), -1)
    }
}
