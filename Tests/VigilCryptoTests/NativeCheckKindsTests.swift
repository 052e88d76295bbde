import XCTest
@testable import VigilCrypto

/// The registry refuses what no kind declares, naming the parameter.
final class NativeCheckKindsTests: XCTestCase {
    func testUnknownKindIsRefusedWithTheKnownOnes() {
        XCTAssertThrowsError(try NativeCheckKinds.make(NativeCheckSpec(kind: "no_such_kind", parameters: []))) { error in
            XCTAssertTrue("\(error)".contains("unknown native check kind 'no_such_kind'"), "\(error)")
        }
    }

    func testParametersJoinRepeatedNamesAndCheckTypes() throws {
        let p = NativeParameters(NativeCheckSpec(kind: "k", parameters: [("path", ["/a"]), ("path", ["/b"]), ("days", ["x"])]))
        XCTAssertEqual(p.strings("path"), ["/a", "/b"])
        XCTAssertThrowsError(try p.string("path"))
        XCTAssertThrowsError(try p.integer("days")) { XCTAssertEqual(($0 as? NativeCheckError)?.parameter, "days") }
    }

    func testCacheComputesOnce() {
        let cache = NativeCache()
        let calls = ManagedCounter()
        DispatchQueue.concurrentPerform(iterations: 16) { _ in
            XCTAssertEqual(cache.value("k") { calls.bump(); return 42 }, 42)
        }
        XCTAssertEqual(calls.count, 1)
    }
}

private final class ManagedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var count = 0
    func bump() { lock.lock(); count += 1; lock.unlock() }
}

/// A cached optional value is computed like any other (a missing key is not a cached nil).
final class NativeCacheOptionalTests: XCTestCase {
    func testOptionalValuesAreComputed() {
        let cache = NativeCache()
        let first: Int? = cache.value("k") { 7 }
        XCTAssertEqual(first, 7)
        let none: String? = cache.value("n") { nil }
        XCTAssertNil(none)
        let again: Int? = cache.value("k") { 8 }
        XCTAssertEqual(again, 7)
    }
}
