import VigilOVAL
import VigilProbes
import XCTest

final class ProbeCollectorTests: XCTestCase {
    func testUnknownObjectTypeIsAnErrorNamingIt() {
        let collector = ProbeCollector(target: Targets.host)
        let object = OVALObject(id: "oval:x:obj:1", type: "registry_object", family: "windows")
        let result = collector.collect(ResolvedObject(object: object, entities: []))
        XCTAssertEqual(result.flag, .error)
        XCTAssertEqual(result.messages, ["unsupported object type registry_object"])
    }

    func testEveryRegisteredObjectTypeIsAnsweredOnce() {
        var seen: [String: Int] = [:]
        for probe in ProbeRegistry.all { for t in probe.objectTypes { seen[t, default: 0] += 1 } }
        XCTAssertEqual(seen.filter { $0.value > 1 }.keys.sorted(), [], "two probes claim the same object type")
        for t in ["family_object", "uname_object", "textfilecontent54_object", "textfilecontent_object", "file_object",
                  "symlink_object", "filehash58_object", "sysctl_object", "dpkginfo_object", "rpminfo_object",
                  "partition_object", "systemdunitproperty_object", "systemdunitdependency_object", "process58_object",
                  "password_object", "shadow_object", "interface_object", "xmlfilecontent_object",
                  "yamlfilecontent_object", "environmentvariable58_object"] {
            XCTAssertNotNil(seen[t], "no probe for \(t)")
        }
    }
}
