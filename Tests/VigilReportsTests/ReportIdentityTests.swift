import Foundation
import VigilCore
import VigilStore
import VigilXML
import XCTest
@testable import VigilReports

/// The sample report of a scanned system whose identity was recorded.
func identifiedReport() -> ReportData {
    var data = sampleReport()
    data.scan.system = SystemIdentity(
        hostName: "node-1", fqdn: "node-1.corp.example", osName: "Red Hat Enterprise Linux", osVersion: "9.2",
        osPrettyName: "Red Hat Enterprise Linux 9.2 (Plow)", kernelRelease: "5.14.0-284.el9.x86_64",
        kernelVersion: "#1 SMP PREEMPT_DYNAMIC", architecture: "x86_64",
        ipAddresses: ["10.0.0.5", "fd00::5"], macAddresses: ["52:54:00:12:34:56", "52:54:00:ab:cd:ef"], user: "auditor",
        benchmarkTitle: "Sample benchmark", profileTitle: "Sample profile", profileDescription: "What the profile checks.")
    data.scan.targetKind = "host"
    return data
}

/// Every report names the scanned system: host, FQDN, OS, kernel, architecture,
/// addresses, the user, the times, the target kind, the profile and benchmark, and Vigil.
final class ReportIdentityTests: XCTestCase {
    func testHTMLNamesTheScannedSystemEscaped() throws {
        var data = identifiedReport()
        data.scan.system?.profileDescription = "<script>alert(1)</script> & more"
        let page = String(decoding: try ReportPipeline.render(.html, data), as: UTF8.self)
        let system = try XCTUnwrap(page.components(separatedBy: "<details class=\"system\"").dropFirst().first?
            .components(separatedBy: "</details>").first)
        for (label, value) in [("FQDN", "node-1.corp.example"), ("Operating system", "Red Hat Enterprise Linux 9.2 (Plow)"),
                               ("Kernel", "5.14.0-284.el9.x86_64 #1 SMP PREEMPT_DYNAMIC"), ("Architecture", "x86_64"),
                               ("IP addresses", "10.0.0.5, fd00::5"), ("MAC addresses", "52:54:00:12:34:56, 52:54:00:ab:cd:ef"),
                               ("Scanned by", "auditor"), ("Profile title", "Sample profile"), ("Vigil", "0.1.0")] {
            XCTAssertTrue(system.contains("<dt>\(label)</dt><dd>\(value)</dd>"), "\(label): \(system)")
        }
        XCTAssertTrue(system.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; more"), system)
        XCTAssertFalse(system.contains("<script>"))
        // A scan stored before the identity was recorded shows what it has, and no empty line.
        let older = String(decoding: try ReportPipeline.render(.html, sampleReport()), as: UTF8.self)
        XCTAssertFalse(older.contains("<dt>FQDN</dt>"))
        XCTAssertTrue(older.contains("<dt>Host name</dt>"))
    }

    func testJSONHasTheIdentityAndFollowsTheSchema() throws {
        let data = try ReportPipeline.render(.json, identifiedReport())
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        let scan = try XCTUnwrap(object["scan"] as? [String: Any])
        let system = try XCTUnwrap(scan["system"] as? [String: Any])
        XCTAssertEqual(system["fqdn"] as? String, "node-1.corp.example")
        XCTAssertEqual(system["osName"] as? String, "Red Hat Enterprise Linux")
        XCTAssertEqual(system["osVersion"] as? String, "9.2")
        XCTAssertEqual(system["kernelRelease"] as? String, "5.14.0-284.el9.x86_64")
        XCTAssertEqual(system["architecture"] as? String, "x86_64")
        XCTAssertEqual(system["ipAddresses"] as? [String], ["10.0.0.5", "fd00::5"])
        XCTAssertEqual(system["macAddresses"] as? [String], ["52:54:00:12:34:56", "52:54:00:ab:cd:ef"])
        XCTAssertEqual(system["user"] as? String, "auditor")
        XCTAssertEqual(system["profileTitle"] as? String, "Sample profile")
        XCTAssertEqual(system["benchmarkTitle"] as? String, "Sample benchmark")
        XCTAssertEqual(scan["targetKind"] as? String, "host")
        XCTAssertEqual(scan["vigilVersion"] as? String, "0.1.0")
        try SchemaCheck.validate(data, against: "vigil-report.schema.json")
        // A scan stored before the identity was recorded still has its host name.
        let old = try XCTUnwrap(JSONSerialization.jsonObject(with: try ReportPipeline.render(.json, sampleReport())) as? [String: Any])
        XCTAssertEqual(((old["scan"] as? [String: Any])?["system"] as? [String: Any])?["hostName"] as? String, "node-1")
    }

    func testJUnitHasTheIdentityAsProperties() throws {
        let xml = try ReportPipeline.render(.junit, identifiedReport())
        let suite = try XCTUnwrap(try XMLDocument.parse(bytes: Array(xml), label: "junit.xml").root?.child("testsuite"))
        let properties = Dictionary(uniqueKeysWithValues: try XCTUnwrap(suite.child("properties")).children("property").map {
            ($0.attribute("name") ?? "", $0.attribute("value") ?? "")
        })
        XCTAssertEqual(properties["fqdn"], "node-1.corp.example")
        XCTAssertEqual(properties["osPrettyName"], "Red Hat Enterprise Linux 9.2 (Plow)")
        XCTAssertEqual(properties["kernelRelease"], "5.14.0-284.el9.x86_64")
        XCTAssertEqual(properties["ipAddresses"], "10.0.0.5,fd00::5")
        XCTAssertEqual(properties["macAddresses"], "52:54:00:12:34:56,52:54:00:ab:cd:ef")
        XCTAssertEqual(properties["user"], "auditor")
        XCTAssertEqual(properties["targetKind"], "host")
        XCTAssertEqual(properties["profile"], "xccdf_org.example_profile_p")
        XCTAssertEqual(properties["profileTitle"], "Sample profile")
        XCTAssertEqual(properties["benchmarkVersion"], "1.2")
        XCTAssertEqual(properties["vigilVersion"], "0.1.0")
        XCTAssertEqual(properties["startedAt"], "2026-09-21T14:13:15Z")
        XCTAssertEqual(properties["finishedAt"], "2026-09-21T14:13:17Z")
        XCTAssertEqual(suite.children("testcase").count, 5, "the properties come before the cases, which are all there")
    }

    func testSARIFRunAndInvocationCarryTheIdentity() throws {
        let log = try XCTUnwrap(JSONSerialization.jsonObject(with: try ReportPipeline.render(.sarif, identifiedReport())) as? [String: Any])
        let run = try XCTUnwrap((log["runs"] as? [[String: Any]])?.first)
        let properties = try XCTUnwrap(run["properties"] as? [String: Any])
        XCTAssertEqual(properties["osName"] as? String, "Red Hat Enterprise Linux")
        XCTAssertEqual(properties["architecture"] as? String, "x86_64")
        XCTAssertEqual(properties["benchmarkTitle"] as? String, "Sample benchmark")
        let invocation = try XCTUnwrap((run["invocations"] as? [[String: Any]])?.first)
        XCTAssertEqual(invocation["machine"] as? String, "node-1")
        XCTAssertEqual(invocation["account"] as? String, "auditor")
    }

    func testCKLAndCKLBFillTheAsset() throws {
        let data = identifiedReport()
        let root = try XCTUnwrap(try XMLDocument.parse(bytes: Array(try ReportPipeline.render(.ckl, data)), label: "x.ckl").root)
        let asset = try XCTUnwrap(root.child("ASSET"))
        XCTAssertEqual(asset.child("HOST_NAME")?.text, "node-1")
        XCTAssertEqual(asset.child("HOST_IP")?.text, "10.0.0.5")
        XCTAssertEqual(asset.child("HOST_MAC")?.text, "52:54:00:12:34:56".uppercased())
        XCTAssertEqual(asset.child("HOST_FQDN")?.text, "node-1.corp.example")
        let comment = asset.child("TARGET_COMMENT")?.text ?? ""
        for part in ["Red Hat Enterprise Linux 9.2 (Plow)", "5.14.0-284.el9.x86_64", "x86_64", "auditor", "Sample profile", "(host)",
                     "2026-09-21T14:13:15Z to 2026-09-21T14:13:17Z"] {
            XCTAssertTrue(comment.contains(part), "\(part) in \(comment)")
        }
        let cklb = try XCTUnwrap(JSONSerialization.jsonObject(with: try ReportPipeline.render(.cklb, data)) as? [String: Any])
        let target = try XCTUnwrap(cklb["target_data"] as? [String: Any])
        XCTAssertEqual(target["ip_address"] as? String, "10.0.0.5")
        XCTAssertEqual(target["mac_address"] as? String, "52:54:00:12:34:56".uppercased())
        XCTAssertEqual(target["fqdn"] as? String, "node-1.corp.example")
    }
}

extension ReportPipelineTests {
    func testXCCDFAndARFNameTheSystemAsOscapDoes() throws {
        var data = identifiedReport()
        data.scap = SCAPSource(content: try sampleContent())
        // Compared without the whitespace the serializer puts between elements.
        func compact(_ bytes: Data) -> String {
            String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: #">\s+<"#, with: "><", options: .regularExpression)
        }
        let xccdf = compact(try ReportPipeline.render(.xccdf, data))
        // The fact names and order of `oscap xccdf eval --results` (1.3.7).
        for fragment in [
            "<identity authenticated=\"false\" privileged=\"\(getuid() == 0)\">auditor</identity>",
            "<target>node-1</target><target-address>10.0.0.5</target-address><target-address>fd00::5</target-address><target-facts>",
            #"<fact name="urn:xccdf:fact:asset:identifier:fqdn" type="string">node-1.corp.example</fact>"#,
            #"<fact name="urn:xccdf:fact:asset:identifier:host_name" type="string">node-1</fact>"#,
            #"<fact name="urn:xccdf:fact:ethernet:MAC" type="string">52:54:00:12:34:56</fact>"#,
            #"<fact name="urn:xccdf:fact:asset:identifier:mac" type="string">52:54:00:AB:CD:EF</fact>"#,
            #"<fact name="urn:xccdf:fact:asset:identifier:ipv4" type="string">10.0.0.5</fact>"#,
            #"<fact name="urn:xccdf:fact:asset:identifier:ipv6" type="string">fd00::5</fact>"#,
        ] {
            XCTAssertTrue(xccdf.contains(fragment), "\(fragment) in\n\(xccdf)")
        }
        let arf = compact(try ReportPipeline.render(.arf, data))
        XCTAssertTrue(arf.contains("<ai:fqdn>node-1.corp.example</ai:fqdn><ai:hostname>node-1</ai:hostname>"), arf)
        XCTAssertTrue(arf.contains("<ai:connection><ai:ip-address><ai:ip-v4>10.0.0.5</ai:ip-v4></ai:ip-address></ai:connection>"))
        XCTAssertTrue(arf.contains("<ai:ip-v6>fd00:0:0:0:0:0:0:5</ai:ip-v6>"), "the eight-group form the ARF schema requires")
        XCTAssertEqual(ARFWriter.expandedIPv6("fe80::fc:ff:fe00:1"), "fe80:0:0:0:fc:ff:fe00:1")
        XCTAssertNil(ARFWriter.expandedIPv6("10.0.0.5"))
        XCTAssertTrue(arf.contains("<ai:connection><ai:mac-address>52:54:00:AB:CD:EF</ai:mac-address></ai:connection>"))
    }
}
