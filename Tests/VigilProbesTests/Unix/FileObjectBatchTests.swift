import Foundation
import VigilContent
import VigilOVAL
import VigilXML
import XCTest
@testable import VigilProbes

/// Objects that walk one tree are collected in one shared traversal, with their filters
/// judged on partial items. Both must give exactly what separate walks and whole items give.
final class FileObjectBatchTests: XCTestCase {
    /// A tree with nested directories, links to files and directories, a dangling link,
    /// a world-writable file, a setuid file and a sticky world-writable directory.
    private func tree() throws -> FileFixture {
        let fx = try FileFixture()
        try fx.file("/data/a.conf", "a", mode: 0o644)
        try fx.file("/data/open.txt", "o", mode: 0o666)
        try fx.file("/data/sub/tool", "t", mode: 0o4755)
        try fx.file("/data/sub/deeper/z.conf", "z", mode: 0o600)
        try fx.file("/data/other/.hidden", "h", mode: 0o640)
        try fx.dir("/data/shared")
        try FileManager.default.setAttributes([.posixPermissions: 0o1777], ofItemAtPath: fx.host("/data/shared"))
        try fx.dir("/data/wide")
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: fx.host("/data/wide"))
        try fx.link("/data/sub/to-a", to: "../a.conf")
        try fx.link("/data/to-other", to: "other")
        try fx.link("/data/dangling", to: "/missing")
        return fx
    }

    func testSharedWalkGivesEachSelectionItsOwnWalk() throws {
        let fx = try tree()
        let target = try fx.target()
        let filenames: [FileWalkEntity?] = [
            nil, Obj.walk("filename", "^.*$", .patternMatch), Obj.walk("filename", "[a-z]+", .patternMatch),
            Obj.walk("filename", "tool"), Obj.walk("filename", ".conf", .notEqual),
        ]
        let behaviorSets: [[String: String]] = [
            ["recurse_direction": "down"],
            ["recurse_direction": "down", "max_depth": "1"],
            ["recurse_direction": "down", "recurse": "symlinks and directories"],
            ["recurse_direction": "down", "recurse": "symlinks"],
            ["recurse_direction": "none"],
            ["recurse_direction": "up", "max_depth": "2"],
        ]
        for attributes in behaviorSets {
            let behaviors = try FileWalkBehaviors(attributes: attributes)
            let path = attributes["recurse_direction"] == "up" ? "/data/sub/deeper" : "/data"
            let request = FileWalkRequest(selection: .path(Obj.walk("path", path), filename: nil), behaviors: behaviors)
            var shared = Array(repeating: [FileWalkEntry](), count: filenames.count)
            let reports = FileWalk.walk(request, filenames: filenames, source: target, spelling: .underRoot) { i, entry in
                shared[i].append(entry)
            }
            XCTAssertEqual(reports.count, filenames.count)
            for (i, filename) in filenames.enumerated() {
                let alone = FileWalkRequest(selection: .path(Obj.walk("path", path), filename: filename), behaviors: behaviors)
                let (entries, report) = FileWalk.entries(alone, source: target, spelling: .underRoot)
                XCTAssertEqual(shared[i], entries, "selection \(i), behaviors \(attributes)")
                XCTAssertEqual(reports[i], report, "selection \(i), behaviors \(attributes)")
                XCTAssertFalse(entries.isEmpty && i == 1 && attributes["recurse_direction"] == "down",
                               "the test tree must give entries")
            }
        }
    }

    /// OVAL content whose file objects walk /data with different filenames and filters,
    /// including states with `check_existence` values that count the statuses of every
    /// field and a state on `has_extended_acl` (which a dangling link does not have).
    private func content() throws -> OVALDocument {
        var objects = ""
        var tests = ""
        let filters = [
            "",
            "<filter action=\"include\">oval:t:ste:ww</filter>",
            "<filter action=\"exclude\">oval:t:ste:link</filter><filter action=\"exclude\">oval:t:ste:conf</filter>",
            "<filter action=\"include\">oval:t:ste:suid</filter>",
            "<filter action=\"include\">oval:t:ste:allexist</filter>",
            "<filter action=\"include\">oval:t:ste:noacl</filter>",
            "<filter action=\"exclude\">oval:t:ste:noneexist</filter>",
        ]
        let filenames = ["<unix:filename xsi:nil=\"true\"/>", "<unix:filename operation=\"pattern match\">^.*$</unix:filename>",
                         "<unix:filename operation=\"pattern match\">[a-z]+</unix:filename>"]
        var n = 0
        for filename in filenames {
            for filter in filters {
                n += 1
                objects += """
                <unix:file_object id="oval:t:obj:\(n)" version="1">
                  <unix:behaviors recurse_direction="down" max_depth="-1" recurse="directories" recurse_file_system="all"/>
                  <unix:path>/data</unix:path>\(filename)\(filter)
                </unix:file_object>
                """
                tests += """
                <unix:file_test id="oval:t:tst:\(n)" version="1" check="all" check_existence="any_exist">
                  <unix:object object_ref="oval:t:obj:\(n)"/><unix:state state_ref="oval:t:ste:ww"/>
                </unix:file_test>
                """
            }
        }
        let states = """
        <unix:file_state id="oval:t:ste:ww" version="1"><unix:owrite datatype="boolean">true</unix:owrite></unix:file_state>
        <unix:file_state id="oval:t:ste:link" version="1"><unix:type>symbolic link</unix:type></unix:file_state>
        <unix:file_state id="oval:t:ste:conf" version="1"><unix:filepath operation="pattern match">\\.conf$</unix:filepath></unix:file_state>
        <unix:file_state id="oval:t:ste:suid" version="1"><unix:suid datatype="boolean">true</unix:suid></unix:file_state>
        <unix:file_state id="oval:t:ste:allexist" version="1"><unix:uread datatype="boolean" check_existence="all_exist">true</unix:uread></unix:file_state>
        <unix:file_state id="oval:t:ste:noacl" version="1"><unix:has_extended_acl datatype="boolean" check_existence="only_one_exists">false</unix:has_extended_acl></unix:file_state>
        <unix:file_state id="oval:t:ste:noneexist" version="1"><unix:size datatype="int" check_existence="none_exist">1</unix:size></unix:file_state>
        """
        let xml = """
        <oval_definitions xmlns="http://oval.mitre.org/XMLSchema/oval-definitions-5"
          xmlns:unix="http://oval.mitre.org/XMLSchema/oval-definitions-5#unix"
          xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
        <definitions><definition id="oval:t:def:1" version="1" class="compliance"><metadata><title>t</title></metadata>
          <criteria operator="AND">\((1...n).map { "<criterion test_ref=\"oval:t:tst:\($0)\"/>" }.joined())</criteria>
        </definition></definitions>
        <tests>\(tests)</tests><objects>\(objects)</objects><states>\(states)</states>
        </oval_definitions>
        """
        return try OVALLoader.load(try XMLDocument.parse(string: xml, label: "batch.xml").root!)
    }

    /// A collector that hides the filters from the probe, so that it builds every whole
    /// item and the evaluator filters them afterwards (the reference behaviour).
    struct WholeItemCollector: ObjectCollector {
        let inner: ProbeCollector
        func collect(_ object: ResolvedObject) -> CollectedObject {
            var plain = object
            plain.keep = nil
            plain.prefilter = nil
            return inner.collect(plain)
        }
    }

    func testBatchedObjectsAndPartialItemFiltersMatchWholeItems() throws {
        let fx = try tree()
        // Many files share a mode, owner and group: remembered judgements are reused.
        for i in 0..<20 { try fx.file("/data/many/f\(i)", "m", mode: i % 3 == 0 ? 0o666 : 0o644) }
        try Self.freezeAccessTimes(under: fx.root)
        let doc = try content()
        let all: Set<String> = doc.referencedItemFields
        XCTAssertTrue(all.contains("has_extended_acl"))
        // With has_extended_acl in use, and without it (judgements are then remembered).
        for fields in [all, all.subtracting(["has_extended_acl"])] {
            try compareWithWholeItems(fx, doc, fields)
        }
    }

    /// Sets every entry's access time an hour ahead (its modification time to now), so
    /// that no read during the test
    /// changes it (`relatime` updates an access time not later than the change time): the
    /// three collections compared must see the same `a_time` even when a second passes
    /// between them.
    static func freezeAccessTimes(under root: String) throws {
        let now = time(nil)
        let times = [timespec(tv_sec: now + 3600, tv_nsec: 0), timespec(tv_sec: now, tv_nsec: 0)]
        let paths = [root] + (FileManager.default.subpaths(atPath: root) ?? []).map { root + "/" + $0 }
        for path in paths {
            XCTAssertEqual(utimensat(AT_FDCWD, path, times, AT_SYMLINK_NOFOLLOW), 0, path)
        }
    }

    private func compareWithWholeItems(_ fx: FileFixture, _ doc: OVALDocument, _ fields: Set<String>) throws {
        let reference = OVALEvaluator(document: doc, collector: WholeItemCollector(inner: ProbeCollector(target: try fx.target(), fieldsInUse: fields)))
        let alone = OVALEvaluator(document: doc, collector: ProbeCollector(target: try fx.target(), fieldsInUse: fields))
        let batched = OVALEvaluator(document: doc, collector: ProbeCollector(target: try fx.target(), fieldsInUse: fields))
        batched.planBatches(definitions: ["oval:t:def:1"])
        XCTAssertEqual(batched.plannedBatchCount, 1, "every object walks /data the same way")
        for i in 0..<batched.plannedBatchCount { batched.collectPlannedBatch(i) }

        var kept = 0
        for id in doc.objects.keys.sorted() {
            let want = reference.collect(object: id)
            for (name, ev) in [("alone", alone), ("batched", batched)] {
                let got = ev.collect(object: id)
                XCTAssertEqual(got.flag, want.flag, "\(name) \(id)")
                XCTAssertEqual(got.items.map(\.fields), want.items.map(\.fields), "\(name) \(id)")
                let test = id.replacingOccurrences(of: ":obj:", with: ":tst:")
                XCTAssertEqual(ev.evaluate(test: test).result, reference.evaluate(test: test).result, "\(name) \(id)")
            }
            kept += want.items.count
        }
        // The filters must both keep and drop items for the comparison to mean anything.
        XCTAssertGreaterThan(kept, 0)
        XCTAssertEqual(reference.collect(object: "oval:t:obj:11").items.compactMap { $0.value("filename") }, ["tool"])
        XCTAssertEqual(reference.collect(object: "oval:t:obj:9").items.count, 11, "owrite: open.txt, 7 of many/ and the 3 links (0777)")
    }
}
