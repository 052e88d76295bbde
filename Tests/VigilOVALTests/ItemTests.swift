import VigilOVAL
import XCTest

final class ItemTests: XCTestCase {
    func testUniqueKeepsFirstOfIdenticalItemsAndTellsRecordsApart() {
        let a = OVALItem(fields: [OVALItemField("filepath", "/f"),
                                  OVALItemField("value", "", datatype: .record, record: [OVALItemField("#", "1")])])
        let b = OVALItem(fields: [OVALItemField("filepath", "/f"),
                                  OVALItemField("value", "", datatype: .record, record: [OVALItemField("#", "2")])])
        let c = OVALItem(status: .error, fields: [OVALItemField("filepath", "/f")])
        XCTAssertEqual(OVALItem.unique([a, b, a, c, c]), [a, b, c])
    }
}
