import XCTest
import VigilOVAL
@testable import VigilProbes

final class FamilyProbeTests: XCTestCase {
    func testFamilyIsUnixOnlineAndOffline() throws {
        let fx = try SysProbeFixture()
        for target in [Targets.host, try fx.offlineTarget()] {
            let r = FamilyProbe().collect(sysObject("family_object", family: "independent"), context: ProbeContext(target: target))
            XCTAssertEqual(r.flag, .complete)
            XCTAssertEqual(r.items.map { $0.fields.map(\.name) }, [["family"]])
            XCTAssertEqual(r.items.first?.value("family"), "unix")
        }
    }
}
