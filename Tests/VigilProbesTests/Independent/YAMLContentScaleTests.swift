import Foundation
import XCTest
@testable import VigilProbes

/// yamlfilecontent over API dumps the size of a large cluster's (tens of thousands of
/// objects in one list): the work grows linearly with the document, counted as the
/// events read, the events given to each path, and the record fields built.
final class YAMLContentScaleTests: XCTestCase {
    /// A compact JSON list of `n` role bindings, as the compliance operator dumps them.
    func bindings(_ n: Int) -> [UInt8] {
        let items = (0..<n).map {
            #"{"kind":"RoleBinding","metadata":{"name":"rb-\#($0)","uid":"u\#($0)"},"#
                + #""roleRef":{"kind":"Role","name":"r\#($0 % 7)"},"subjects":[{"kind":"User","name":"user-\#($0)"},"#
                + #"{"kind":"Group","name":"g\#($0 % 3)"}]}"#
        }
        return Array(#"{"kind":"List","items":[\#(items.joined(separator: ","))]}"#.utf8)
    }

    /// The same list as block YAML, as a kubelet configuration or `oc get -o yaml` writes it.
    func bindingsYAML(_ n: Int) -> [UInt8] {
        var text = "kind: List\nitems:\n"
        for i in 0..<n {
            text += "- kind: RoleBinding\n  metadata:\n    name: rb-\(i)\n    uid: u\(i)\n"
            text += "  roleRef:\n    kind: Role\n    name: r\(i % 7)\n"
            text += "  subjects:\n  - kind: User\n    name: user-\(i)\n  - kind: Group\n    name: g\(i % 3)\n"
        }
        return Array(text.utf8)
    }

    let paths = [".items[:].metadata.name", ".items[:]['subjects'][:].name", ".items[:].roleRef", ".items[:]", ".kind"]

    func run(_ bytes: [UInt8]) -> (results: [Result<[YAMLContentQuery.Record], QueryFailure>], work: YAMLQueryWork) {
        var work = YAMLQueryWork()
        let results = YAMLContentQuery.evaluate(bytes, yamlPaths: paths, work: &work)
        return (results, work)
    }

    /// Every path over 4 times the items does 4 times the work (not 16): the events
    /// libyaml reads, the events each path's state takes, the fields and records built.
    func testSeveralPathsOverAListAreOnePassLinearInTheItems() throws {
        for document in [bindings, bindingsYAML] {
            let small = run(document(1_000)), middle = run(document(2_000)), large = run(document(4_000))
            func grows(_ count: (YAMLQueryWork) -> Int, _ what: String) {
                let n = count(small.work), n2 = count(middle.work), n4 = count(large.work)
                // The same amount per item (an affine count), and at most 4 times as much.
                XCTAssertEqual(n4 - n, 3 * (n2 - n), "\(what): \(n), \(n2), \(n4)")
                XCTAssertLessThanOrEqual(n4, 4 * n, what)
                XCTAssertGreaterThan(n4, 3 * n, what)
            }
            grows(\.events, "events")
            grows(\.steps, "steps")
            grows(\.fields, "fields")
            grows(\.records, "records")
            // One pass: each event went to each path that had not failed (`.items[:]` fails
            // at the first map inside an item), never more.
            XCTAssertLessThanOrEqual(large.work.steps, paths.count * large.work.events)
            XCTAssertGreaterThan(large.work.steps, (paths.count - 1) * large.work.events)

            let names = try XCTUnwrap(large.results[0].get().first)
            XCTAssertEqual(names.count, 4_000)
            XCTAssertEqual(names.first?.value, "rb-0")
            XCTAssertEqual(names.last?.value, "rb-3999")
            let subjects = try large.results[1].get()
            XCTAssertEqual(subjects.count, 4_000, "one record per item's list of subjects")
            XCTAssertEqual(subjects.last?.map(\.value), ["user-3999", "g\(3_999 % 3)"])
            let roleRefs = try large.results[2].get()
            XCTAssertEqual(roleRefs.count, 4_000, "one record per map")
            XCTAssertEqual(roleRefs.last?.map(\.value), ["Role", "r\(3_999 % 7)"])
            XCTAssertThrowsError(try large.results[3].get(), "items hold maps in maps")
            XCTAssertEqual(try large.results[4].get().first?.first?.value, "List")
        }
    }

    /// Paths evaluated together give what each gives alone.
    func testEachPathOfAPassGivesWhatItGivesAlone() {
        for document in [bindings(50), bindingsYAML(50), Array("a: [1, 2\nb: {\n".utf8)] {
            let together = run(document).results
            for (path, result) in zip(paths, together) {
                XCTAssertEqual(YAMLContentQuery.evaluate(document, yamlPath: path), result, path)
            }
        }
    }
}
