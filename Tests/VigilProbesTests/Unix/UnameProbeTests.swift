import XCTest
import Foundation
import VigilOVAL
@testable import VigilProbes

final class UnameProbeTests: XCTestCase {
    func testLiveItemAgreesWithProcAndHasSchemaOrder() throws {
        let r = UnameProbe().collect(sysObject("uname_object", family: "unix"), context: ProbeContext(target: Targets.host))
        XCTAssertEqual(r.flag, .complete)
        let item = try XCTUnwrap(r.items.first)
        XCTAssertEqual(item.fields.map(\.name),
                       ["machine_class", "node_name", "os_name", "os_release", "os_version", "processor_type"])
        func proc(_ name: String) throws -> String {
            try String(contentsOfFile: "/proc/sys/kernel/" + name, encoding: .utf8).trimmingCharacters(in: .newlines)
        }
        XCTAssertEqual(item.value("os_name"), try proc("ostype"))
        XCTAssertEqual(item.value("os_release"), try proc("osrelease"))
        XCTAssertEqual(item.value("os_version"), try proc("version"))
        XCTAssertEqual(item.value("node_name"), try proc("hostname"))
        XCTAssertEqual(item.value("processor_type"), item.value("machine_class"))
        XCTAssertFalse(item.value("machine_class")?.isEmpty ?? true)
    }

    func testItemFromFields() {
        let item = UnameProbe.item(.init(sysname: "Linux", nodename: "h", release: "6.1", version: "#1", machine: "aarch64"))
        XCTAssertEqual(item.fields.map(\.value), ["aarch64", "h", "Linux", "6.1", "#1", "aarch64"])
    }
}
