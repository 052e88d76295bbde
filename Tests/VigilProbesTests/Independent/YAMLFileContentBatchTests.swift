import Foundation
import VigilContent
import VigilOVAL
import VigilXML
import XCTest
@testable import VigilProbes

/// yamlfilecontent objects naming the same file are collected in one batch: the file is
/// read once, every path is evaluated in one pass, and each object gets exactly what it
/// gets when collected alone.
final class YAMLFileContentBatchTests: XCTestCase {
    private var root = ""

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-yaml-batch-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root + "/etc/kubernetes", withIntermediateDirectories: true)
        try write("/etc/kubernetes/dump.json", """
            {"kind":"List","items":[{"kind":"RoleBinding","metadata":{"name":"a","namespace":"n1"},
            "subjects":[{"kind":"User","name":"u1"},{"kind":"Group","name":"system:anonymous"}]},
            {"kind":"ClusterRoleBinding","metadata":{"name":"b","namespace":"n2"},"subjects":[{"kind":"User","name":"u2"}]}]}
            """)
        try write("/etc/kubernetes/kubelet.yaml", """
            authentication:
              anonymous:
                enabled: false
            tlsCipherSuites:
            - TLS_A
            - TLS_B

            """)
        try write("/etc/kubernetes/broken.yaml", "a: [1, 2\nb: {\n")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: root)
    }

    private func write(_ path: String, _ text: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: root + path))
    }

    /// (file, yamlpath) of each object, `oval:t:obj:N` for the N-th (from 1). Paths that
    /// select scalars, maps as records, nested lists, a whole sequence of maps (an error:
    /// maps in maps), an invalid path, a missing file and a malformed one.
    private let objects: [(String, String)] = [
        ("/etc/kubernetes/dump.json", ".items[:].metadata.name"),
        ("/etc/kubernetes/dump.json", ".items[:]['subjects'][:].name"),
        ("/etc/kubernetes/dump.json", ".items[:].metadata"),
        ("/etc/kubernetes/dump.json", ".items[:]"),
        ("/etc/kubernetes/dump.json", ".items[:].metadata.name"),
        ("/etc/kubernetes/dump.json", ".items["),
        ("/etc/kubernetes/kubelet.yaml", ".tlsCipherSuites[:]"),
        ("/etc/kubernetes/kubelet.yaml", ".authentication.anonymous.enabled"),
        ("/etc/kubernetes/missing.yaml", ".a"),
        ("/etc/kubernetes/broken.yaml", ".a"),
    ]

    private func content() throws -> OVALDocument {
        var xmlObjects = "", tests = ""
        for (i, (file, path)) in objects.enumerated() {
            let n = i + 1
            let escaped = path.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            xmlObjects += """
                <ind:yamlfilecontent_object id="oval:t:obj:\(n)" version="1"><ind:filepath>\(file)</ind:filepath>\
                <ind:yamlpath>\(escaped)</ind:yamlpath></ind:yamlfilecontent_object>
                """
            tests += """
                <ind:yamlfilecontent_test id="oval:t:tst:\(n)" version="1" check="all" check_existence="at_least_one_exists">\
                <ind:object object_ref="oval:t:obj:\(n)"/></ind:yamlfilecontent_test>
                """
        }
        let criteria = objects.indices.map { "<criterion test_ref=\"oval:t:tst:\($0 + 1)\"/>" }.joined()
        let xml = """
            <oval_definitions xmlns="http://oval.mitre.org/XMLSchema/oval-definitions-5"
              xmlns:ind="http://oval.mitre.org/XMLSchema/oval-definitions-5#independent">
            <definitions><definition id="oval:t:def:1" version="1" class="compliance"><metadata><title>t</title></metadata>
              <criteria operator="AND">\(criteria)</criteria></definition></definitions>
            <tests>\(tests)</tests><objects>\(xmlObjects)</objects>
            </oval_definitions>
            """
        return try OVALLoader.load(try XMLDocument.parse(string: xml, label: "yaml-batch.xml").root!)
    }

    func testAFileNamedBySeveralObjectsIsReadOnceAndEachObjectGetsWhatItGetsAlone() throws {
        let doc = try content()
        let aloneTarget = try ReadCountingTarget(root)
        let alone = OVALEvaluator(document: doc, collector: ProbeCollector(target: aloneTarget))
        let batchedTarget = try ReadCountingTarget(root)
        let batched = OVALEvaluator(document: doc, collector: ProbeCollector(target: batchedTarget))
        batched.planBatches(definitions: ["oval:t:def:1"])
        // One batch per file; the missing file's object is one of its own, yet still a batch of one.
        XCTAssertEqual(batched.plannedBatchCount, 2, "dump.json and kubelet.yaml")
        for i in 0..<batched.plannedBatchCount { batched.collectPlannedBatch(i) }

        for n in 1...objects.count {
            let id = "oval:t:obj:\(n)"
            let want = alone.collect(object: id), got = batched.collect(object: id)
            XCTAssertEqual(got.flag, want.flag, "\(objects[n - 1])")
            XCTAssertEqual(got.items.map(\.fields), want.items.map(\.fields), "\(objects[n - 1])")
            XCTAssertEqual(got.messages, want.messages, "\(objects[n - 1])")
        }
        XCTAssertEqual(batchedTarget.reads("/etc/kubernetes/dump.json"), 1, "six objects, five distinct paths, one read")
        XCTAssertEqual(batchedTarget.reads("/etc/kubernetes/kubelet.yaml"), 1)
        XCTAssertEqual(aloneTarget.reads("/etc/kubernetes/dump.json"), 6, "alone, each object reads the file")

        // What the objects hold, so that the comparison above compares something.
        func values(_ n: Int) -> [[String]] {
            batched.collect(object: "oval:t:obj:\(n)").items.flatMap { $0.fields(named: "value") }.map { $0.record.map(\.value) }
        }
        XCTAssertEqual(values(1), [["a", "b"]])
        XCTAssertEqual(values(2), [["u1", "system:anonymous"], ["u2"]], "one record per inner list")
        XCTAssertEqual(values(3), [["a", "n1"], ["b", "n2"]])
        XCTAssertEqual(batched.collect(object: "oval:t:obj:4").flag, .error, "maps holding maps")
        XCTAssertEqual(batched.collect(object: "oval:t:obj:6").flag, .error, "invalid path")
        XCTAssertEqual(values(7), [["TLS_A", "TLS_B"]])
        XCTAssertEqual(values(8), [["false"]])
        XCTAssertEqual(batched.collect(object: "oval:t:obj:9").flag, .doesNotExist)
        XCTAssertEqual(batched.collect(object: "oval:t:obj:10").flag, .error, "malformed YAML")
    }

    func testObjectsOnOneFileShareABatchKeyAndOtherFilesDoNot() throws {
        let probe = YAMLFileContentProbe()
        let context = ProbeContext(target: try RootTarget(root))
        func object(_ file: String, _ path: String, content: String? = nil) -> ResolvedObject {
            var entities = [resolved("filepath", file), resolved("yamlpath", path)]
            if let content { entities.append(resolved("content", content)) }
            return ResolvedObject(object: OVALObject(id: "oval:t:obj:1", type: "yamlfilecontent_object", family: "independent",
                                                     entities: entities.map(\.entity)), entities: entities)
        }
        let a = probe.batchKey(object("/etc/a.yaml", ".x"), context: context)
        XCTAssertNotNil(a)
        XCTAssertEqual(probe.batchKey(object("/etc/a.yaml", ".y[:]"), context: context), a)
        XCTAssertNotEqual(probe.batchKey(object("/etc/b.yaml", ".x"), context: context), a)
        XCTAssertNil(probe.batchKey(object("/etc/a.yaml", ".x", content: "x: 1"), context: context), "content reads no file")
    }

    private func resolved(_ name: String, _ value: String) -> ResolvedEntity {
        ResolvedEntity(entity: OVALEntity(name: name, value: value), values: [value])
    }
}

/// A root target that counts the reads of each file.
final class ReadCountingTarget: Target, @unchecked Sendable {
    private let base: RootTarget
    private let lock = NSLock()
    private var counts: [String: Int] = [:]

    init(_ directory: String) throws { base = try RootTarget(directory) }

    /// How many times `path` was read.
    func reads(_ path: String) -> Int {
        lock.lock()
        defer { lock.unlock() }
        return counts[path, default: 0]
    }

    var kind: TargetKind { base.kind }
    var reference: String { base.reference }
    var label: String { base.label }
    var capabilities: TargetCapabilities { base.capabilities }
    var pathSpelling: TargetPathSpelling { base.pathSpelling }

    func readFile(_ path: String, limit: Int) throws -> [UInt8] {
        lock.lock()
        counts[path, default: 0] += 1
        lock.unlock()
        return try base.readFile(path, limit: limit)
    }

    func withOpenFile<T>(_ path: String, _ body: (TargetFile) throws -> T) throws -> T { try base.withOpenFile(path, body) }
    func statResult(_ path: String, followLinks: Bool) -> Result<FileInfo, TargetFailure> {
        base.statResult(path, followLinks: followLinks)
    }
    func directoryEntries(_ path: String) -> Result<[DirectoryEntry], TargetFailure> { base.directoryEntries(path) }
    func listDirectory(_ path: String) -> [String]? { base.listDirectory(path) }
    func readLink(_ path: String) -> String? { base.readLink(path) }
    func canonicalPath(_ path: String) -> Result<String, TargetFailure> { base.canonicalPath(path) }
    func hasExtendedACL(_ path: String) -> Bool? { base.hasExtendedACL(path) }
    func fileSystemStatistics(_ path: String) -> Result<FileSystemStatistics, TargetFailure> { base.fileSystemStatistics(path) }
}
