import Foundation
import VigilContent
import VigilOVAL
import VigilXML

/// A collector that answers from a fixed table of items per object id, and counts calls.
final class TableCollector: ObjectCollector, @unchecked Sendable {
    let table: [String: CollectedObject]
    private let lock = NSLock()
    private(set) var calls: [String] = []
    private(set) var lastEntities: [String: [ResolvedEntity]] = [:]
    private(set) var lastObjects: [String: ResolvedObject] = [:]

    init(_ table: [String: CollectedObject]) { self.table = table }

    func collect(_ object: ResolvedObject) -> CollectedObject {
        lock.lock()
        calls.append(object.object.id)
        lastEntities[object.object.id] = object.entities
        lastObjects[object.object.id] = object
        lock.unlock()
        return table[object.object.id] ?? .found([])
    }
}

/// Builds an OVAL document from the inside of <oval_definitions> sections.
func ovalDocument(definitions: String = "", tests: String = "", objects: String = "", states: String = "",
                  variables: String = "") throws -> OVALDocument {
    let xml = """
    <oval_definitions xmlns="http://oval.mitre.org/XMLSchema/oval-definitions-5"
      xmlns:ind="http://oval.mitre.org/XMLSchema/oval-definitions-5#independent"
      xmlns:unix="http://oval.mitre.org/XMLSchema/oval-definitions-5#unix"
      xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
    <definitions>\(definitions)</definitions>
    <tests>\(tests)</tests>
    <objects>\(objects)</objects>
    <states>\(states)</states>
    <variables>\(variables)</variables>
    </oval_definitions>
    """
    let doc = try XMLDocument.parse(string: xml, label: "test.xml")
    return try OVALLoader.load(doc.root!)
}

/// An item with string fields.
func item(_ fields: [(String, String)], status: ItemStatus = .exists) -> OVALItem {
    OVALItem(status: status, fields: fields.map { OVALItemField($0.0, $0.1) })
}
