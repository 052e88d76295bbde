import Foundation
import VigilOVAL
import XCTest
@testable import VigilProbes

/// The six file-walking probes share one skeleton (`FileWalkingProbe.collectWalks`): the
/// same file selection, the same flags for a missing path, a missing entity and a spent
/// item budget, whatever each probe reads from the files.
final class FileWalkingProbeTests: XCTestCase {
    /// Each walking probe with the entities that make it find something in every file of
    /// its fixture (`fixture(for:)`).
    private func probes(selecting selection: [ResolvedEntity]) -> [(String, any Probe, ResolvedObject)] {
        func object(_ type: String, _ own: [ResolvedEntity], family: String = "independent") -> ResolvedObject {
            Obj.object(type, selection + own, family: family)
        }
        return [
            ("file", FileProbe(), object("file_object", [], family: "unix")),
            ("textfilecontent54", TextFileContent54Probe(), object("textfilecontent54_object", [
                Obj.entity("pattern", "^(.*)$", .patternMatch),
                Obj.entity("instance", "1", .greaterThanOrEqual, datatype: .int),
            ])),
            ("textfilecontent", TextFileContentProbe(), object("textfilecontent_object", [Obj.entity("line", "^.*$", .patternMatch)])),
            ("filehash58", FileHashProbe(), object("filehash58_object", [Obj.entity("hash_type", "SHA-256")])),
            ("xmlfilecontent", XMLFileContentProbe(), object("xmlfilecontent_object", [Obj.entity("xpath", "/a/text()")])),
            ("yamlfilecontent", YAMLFileContentProbe(), object("yamlfilecontent_object", [Obj.entity("yamlpath", ".a")])),
        ]
    }

    /// `/etc/app/a.conf` and `/etc/app/b.conf`, XML for all probes but yamlfilecontent.
    private func fixture(for probe: String) throws -> FileFixture {
        let fx = try FileFixture()
        try fx.dir("/etc/app")
        let yaml = probe == "yamlfilecontent"
        try fx.file("/etc/app/a.conf", yaml ? "a: 1\n" : "<a>1</a>")
        try fx.file("/etc/app/b.conf", yaml ? "a: 2\n" : "<a>2</a>")
        return fx
    }

    private var bothFiles: [ResolvedEntity] {
        [Obj.entity("path", "/etc/app"), Obj.entity("filename", "^[ab]\\.conf$", .patternMatch)]
    }

    func testEachProbeCollectsFromEverySelectedFile() throws {
        for (name, probe, object) in probes(selecting: bothFiles) {
            let fx = try fixture(for: name)
            let result = probe.collect(object, context: try fx.context())
            XCTAssertEqual(result.flag, .complete, "\(name): \(result.messages)")
            XCTAssertEqual(Set(result.values("filepath")), ["/etc/app/a.conf", "/etc/app/b.conf"], name)
        }
    }

    func testAMissingPathDoesNotExistForEachProbe() throws {
        let missing = [Obj.entity("path", "/etc/none"), Obj.entity("filename", "a.conf")]
        for (name, probe, object) in probes(selecting: missing) {
            let fx = try fixture(for: name)
            let result = probe.collect(object, context: try fx.context())
            XCTAssertEqual(result.flag, .doesNotExist, "\(name): \(result.messages)")
            XCTAssertTrue(result.items.isEmpty, name)
        }
    }

    func testAPathWithoutFilenameIsAnErrorForEachProbe() throws {
        for (name, probe, object) in probes(selecting: [Obj.entity("path", "/etc/app")]) {
            let fx = try fixture(for: name)
            let result = probe.collect(object, context: try fx.context())
            XCTAssertEqual(result.flag, .error, "\(name): \(result.messages)")
            XCTAssertTrue(result.items.isEmpty, name)
        }
    }

    /// Past the context's item budget every walking probe is an error (yamlfilecontent
    /// used the standard budget whatever the context said).
    func testEachProbeKeepsToTheContextsItemBudget() throws {
        for (name, probe, object) in probes(selecting: bothFiles) {
            let fx = try fixture(for: name)
            let context = ProbeContext(target: try fx.target(), itemBudget: ItemBudget(maxItems: 1, maxBytes: 1 << 30))
            let result = probe.collect(object, context: context)
            XCTAssertEqual(result.flag, .error, "\(name): \(result.messages)")
            XCTAssertLessThanOrEqual(result.items.count, 1, name)
            XCTAssertTrue(result.messages.contains { $0.contains("too many items") }, "\(name): \(result.messages)")
        }
    }
}
