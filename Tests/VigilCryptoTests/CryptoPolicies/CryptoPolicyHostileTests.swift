import Foundation
import VigilCore
import VigilCrypto
import VigilTarget
import XCTest

/// Policy files built to be slow: long value lists and wildcards must end in a verdict in
/// time roughly linear in the policy's size, and a policy past the value limit is an error.
final class CryptoPolicyHostileTests: XCTestCase {
    /// The `sha1: forbidden` verdict on a root whose configured FIPS policy is `pol`, and its time.
    private func timedVerdict(_ pol: String, config: String = "FIPS\n", files: [String: String] = [:]) throws -> (NativeVerdict, TimeInterval) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-cp-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let all = files.merging(["etc/crypto-policies/config": config, "usr/share/crypto-policies/policies/FIPS.pol": pol]) { $1 }
        for (path, text) in all {
            let url = URL(fileURLWithPath: root).appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        let check = try NativeCheckKinds.make(NativeCheckSpec(kind: "crypto_policy", parameters: [("sha1", ["forbidden"])]))
        let start = Date()
        let v = check.evaluate(NativeContext(target: try RootTarget(root)))
        return (v, Date().timeIntervalSince(start))
    }

    func testWildcardsOverManyNamesEndQuickly() throws {
        // 400 names, then 400 wildcards each expanding to all of them (and the SHA-1 names).
        let names = (0..<400).map { "H\($0)" }.joined(separator: " ")
        let pol = "hash = \(names)\nhash = \(Array(repeating: "*", count: 200).joined(separator: " "))\n"
            + "hash = \(Array(repeating: "+*", count: 100).joined(separator: " "))\n"
            + "hash = \(Array(repeating: "-*", count: 100).joined(separator: " "))\nhash = *+\n"
        let (v, elapsed) = try timedVerdict(pol)
        XCTAssertEqual(v.result, .fail, "\(v)")  // `*` takes in the SHA-1 names
        XCTAssertLessThan(elapsed, 5, "took \(elapsed) s")
    }

    func testTooManyValuesIsAnErrorNamingTheFile() throws {
        let pol = "hash = SHA2-256\n" + (0..<30).map { i in "sign = " + (0..<400).map { "S\(i)x\($0)" }.joined(separator: " ") + "\n" }.joined()
        let (v, elapsed) = try timedVerdict(pol)
        XCTAssertEqual(v.result, .error, "\(v)")
        XCTAssertTrue(v.message?.contains("FIPS.pol: the policy holds more than 10000 values") == true, "\(v)")
        XCTAssertLessThan(elapsed, 5, "took \(elapsed) s")
        // 2,000 names and 600 wildcards (1.2 million expanded names) are refused too.
        let wild = "hash = " + (0..<2000).map { "H\($0)" }.joined(separator: " ") + "\nhash = " + Array(repeating: "+*", count: 600).joined(separator: " ") + "\n"
        let (w, wildElapsed) = try timedVerdict(wild)
        XCTAssertEqual(w.result, .error, "\(w)")
        XCTAssertTrue(w.message?.contains("600 wildcards") == true, "\(w)")
        XCTAssertLessThan(wildElapsed, 5, "took \(wildElapsed) s")
    }

    func testThousandsOfSubPoliciesAreRefusedQuickly() throws {
        // An empty module named 100,000 times: each name would be looked up and read.
        let config = "FIPS" + String(repeating: ":EMPTY", count: 100_000) + "\n"
        let (v, elapsed) = try timedVerdict("hash = SHA2-256\n", config: config,
                                            files: ["usr/share/crypto-policies/policies/modules/EMPTY.pmod": "# nothing\n"])
        XCTAssertEqual(v.result, .error, "\(v)")
        XCTAssertTrue(v.message?.contains("100000 sub-policies (limit 64)") == true, "\(v)")
        XCTAssertLessThan(elapsed, 2, "took \(elapsed) s")
    }

    func testALongPolicyNameGivesShortEvidenceAndMessage() throws {
        let config = "FIPS:" + String(repeating: "X", count: 100_000) + "\n"
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-cp-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        for (path, text) in ["/etc/crypto-policies/config": config, "/usr/share/crypto-policies/policies/FIPS.pol": "hash = SHA2-256\n"] {
            let url = URL(fileURLWithPath: root + path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        let check = try NativeCheckKinds.make(NativeCheckSpec(kind: "crypto_policy", parameters: [("policy", ["FIPS"]), ("sha1", ["forbidden"])]))
        let v = check.evaluate(NativeContext(target: try RootTarget(root)))
        XCTAssertEqual(v.result, .error, "\(v.result)")
        XCTAssertEqual(v.evidence.count, 1)
        XCTAssertTrue(v.evidence.allSatisfy { $0.count <= 200 }, "\(v.evidence.map(\.count))")
        XCTAssertTrue(v.evidence[0].hasPrefix("/etc/crypto-policies/config:1: policy FIPS:XXX"), String(v.evidence[0].prefix(80)))
        XCTAssertLessThanOrEqual(v.message?.count ?? 0, 200)
        XCTAssertTrue(v.message?.hasPrefix("crypto_policy: sub-policy XXX") == true, String(v.message?.prefix(80) ?? ""))
    }
}
