import XCTest
import VigilOVAL
@testable import VigilProbes

final class SystemdBusMessageTests: XCTestCase {
    func testRoundTripOfComplexBody() throws {
        let body: [SystemdBusValue] = [
            .string("héllo"), .objectPath("/org/x"), .boolean(true), .byte(65), .int16(-2), .uint64(1 << 40),
            .double(0.5),
            .array(elementSignature: "{sv}", [
                .dictEntry(.string("Names"), .variant(.array(elementSignature: "s", [.string("a.service"), .string("b.service")]))),
                .dictEntry(.string("Job"), .variant(.structure([.uint32(0), .objectPath("/")]))),
            ]),
            .array(elementSignature: "(ssi)", []),
        ]
        let message = SystemdBusMessage(kind: .methodReturn, serial: 7, replySerial: 3, destination: ":1.5", body: body)
        let bytes = message.encoded()
        XCTAssertEqual(bytes.count % 1, 0)
        XCTAssertEqual(SystemdBusMessage.totalLength(head: Array(bytes.prefix(16))), bytes.count)
        XCTAssertEqual(try SystemdBusMessage.decode(bytes), message)
    }

    func testHelloEncodingMatchesTheSpecificationLayout() {
        let hello = SystemdBusMessage(kind: .methodCall, serial: 1, path: "/org/freedesktop/DBus",
                                      interface: "org.freedesktop.DBus", member: "Hello",
                                      destination: "org.freedesktop.DBus").encoded()
        XCTAssertEqual(Array(hello.prefix(12)), [0x6c, 1, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0])
        // First header field: code 1 (path), variant signature "o", string length 21.
        XCTAssertEqual(Array(hello[16..<24]), [1, 1, 0x6f, 0, 21, 0, 0, 0])
        XCTAssertEqual(hello.count % 8, 0)
    }

    func testOpenSCAPTexts() {
        XCTAssertEqual(SystemdBusValue.boolean(false).openSCAPText, "false")
        XCTAssertEqual(SystemdBusValue.byte(0x41).openSCAPText, "A")
        XCTAssertEqual(SystemdBusValue.int32(-5).openSCAPText, "-5")
        XCTAssertEqual(SystemdBusValue.uint64(18446744073709551615).openSCAPText, "18446744073709551615")
        XCTAssertEqual(SystemdBusValue.double(0.1).openSCAPText, "0.1")
        XCTAssertEqual(SystemdBusValue.double(1e20).openSCAPText, "1e+20")
        XCTAssertNil(SystemdBusValue.structure([.string("x")]).openSCAPText)
        XCTAssertEqual(SystemdBusValue.array(elementSignature: "s", [.string("a"), .string("b")]).openSCAPText, "a, b")
        XCTAssertNil(SystemdBusValue.array(elementSignature: "(s)", [.structure([.string("a")])]).openSCAPText)
    }

    func testMalformedInputThrows() {
        XCTAssertThrowsError(try SystemdBusMessage.decode([0x6c, 2, 0, 1]))
        XCTAssertThrowsError(try SystemdBusReader.splitSignature("a(s"))
        var bytes = SystemdBusMessage(kind: .methodReturn, serial: 1, replySerial: 1, body: [.string("abc")]).encoded()
        bytes.removeLast(3)
        XCTAssertThrowsError(try SystemdBusMessage.decode(bytes))
        XCTAssertEqual(try SystemdBusReader.splitSignature("sa{sv}(ii)"), ["s", "a{sv}", "(ii)"])
    }
}
