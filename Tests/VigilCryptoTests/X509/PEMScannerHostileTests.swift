import Foundation
import XCTest
@testable import VigilCrypto

/// PEM input built to be slow: one huge block must be read in time linear in its size.
final class PEMScannerHostileTests: XCTestCase {
    func testOneHugeBlockIsScannedInLinearTime() {
        // 4 MiB of base64 in 64-character lines (65,536 lines) inside one block.
        let line = String(repeating: "A", count: 64) + "\n"
        let text = "-----BEGIN CERTIFICATE-----\n" + String(repeating: line, count: 65_536) + "-----END CERTIFICATE-----\n"
        let start = Date()
        let (blocks, problems) = PEMScanner.blocks(Array(text.utf8))
        let elapsed = Date().timeIntervalSince(start)
        XCTAssertEqual(problems, [])
        XCTAssertEqual(blocks.map(\.der.count), [65_536 * 48])
        XCTAssertLessThan(elapsed, 5, "scanning a 4 MiB block took \(elapsed) s")
    }

    func testBrokenBlocksGiveABoundedListOfProblemsPerLabel() {
        // 200,000 BEGIN lines without END (5.6 MB): one problem each would be 200,000 strings.
        let text = String(repeating: "-----BEGIN CERTIFICATE-----\n", count: 200_000) + "-----BEGIN PRIVATE KEY-----\n"
        let (blocks, problems) = PEMScanner.blocks(Array(text.utf8))
        XCTAssertEqual(blocks.count, 0)
        let certificate = problems.filter { $0.contains("CERTIFICATE") }
        XCTAssertEqual(certificate.count, PEMScanner.problemsPerLabel + 1)
        XCTAssertEqual(certificate.first, "line 1: 'CERTIFICATE' block has no END line")
        XCTAssertEqual(certificate.last, "'CERTIFICATE' blocks: more problems")
        // Another label's problem is still reported after them.
        XCTAssertEqual(problems.filter { $0.contains("PRIVATE KEY") }, ["line 200001: 'PRIVATE KEY' block is truncated (no END line)"])
    }
}
