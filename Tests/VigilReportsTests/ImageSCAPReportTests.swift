import Foundation
import VigilContent
import VigilCore
import VigilStore
import VigilXML
import XCTest
@testable import VigilReports

/// XCCDF results and ARF of an image scan: the TestResult's target is the reference, its
/// facts name the image, the ARF asset is the image; both validate with oscap's own
/// validators (`oscap xccdf validate`, `oscap ds rds-validate`).
final class ImageSCAPReportTests: XCTestCase {
    func report(_ data: ReportData) throws -> ReportData {
        var data = data
        data.scap = SCAPSource(content: try sampleBenchmark(removedAfter: self))
        return data
    }

    func testXCCDFTargetsTheReferenceWithTheImageFacts() throws {
        var data = try report(imageReport())
        // A live scan names the scanning host as oscap does; an image is named all the same.
        data.scap?.testResultTarget = "ci-runner-7"
        let bytes = try ReportPipeline.render(.xccdf, data)
        let result = try XCTUnwrap(try XMLDocument.parse(bytes: Array(bytes), label: "results.xml").root?.child("TestResult"))
        XCTAssertEqual(result.child("target")?.text, "oci:/build/layout:1.4")
        XCTAssertEqual(result.children("target-address").count, 0)
        let facts = try XCTUnwrap(result.child("target-facts")).children("fact").map { ($0.attribute("name") ?? "", $0.text) }
        let named = Dictionary(facts, uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(named["urn:xccdf:fact:scanner:name"], "Vigil")
        XCTAssertEqual(named["urn:vigil:fact:image:reference"], "oci:/build/layout:1.4")
        XCTAssertEqual(named["urn:vigil:fact:image:name"], "registry.example.com/team/app")
        XCTAssertEqual(named["urn:vigil:fact:image:tag"], "1.4")
        XCTAssertEqual(named["urn:vigil:fact:image:manifest-digest"], sampleImage.manifestDigest)
        XCTAssertEqual(named["urn:vigil:fact:image:config-digest"], sampleImage.configDigest)
        XCTAssertEqual(named["urn:vigil:fact:image:os"], "linux")
        XCTAssertEqual(named["urn:vigil:fact:image:architecture"], "arm64")
        XCTAssertEqual(named["urn:vigil:fact:image:variant"], "v8")
        XCTAssertEqual(facts.filter { $0.0 == "urn:vigil:fact:image:layer" }.map(\.1), sampleImage.layers)
        XCTAssertNil(named["urn:xccdf:fact:asset:identifier:host_name"], "an image is no host")
        try oscapValidates(["xccdf", "validate"], bytes)
    }

    func testARFHasTheImageAsASoftwareAsset() throws {
        let bytes = try ReportPipeline.render(.arf, try report(imageReport()))
        let root = try XCTUnwrap(try XMLDocument.parse(bytes: Array(bytes), label: "arf.xml").root)
        let asset = try XCTUnwrap(root.child("assets")?.child("asset"))
        XCTAssertNil(asset.child("computing-device"))
        let software = try XCTUnwrap(asset.child("software"))
        let ids = Dictionary(software.children("synthetic-id").map { ($0.attribute("resource") ?? "", $0.attribute("id") ?? "") },
                             uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(ids, ["urn:vigil:image:reference": "oci:/build/layout:1.4",
                             "urn:vigil:image:name": "registry.example.com/team/app",
                             "urn:vigil:image:manifest-digest": sampleImage.manifestDigest!,
                             "urn:vigil:image:config-digest": sampleImage.configDigest!])
        let image = try XCTUnwrap(software.child("extended-information")?.child("image"))
        XCTAssertEqual(image.namespace, "urn:vigil:image")
        XCTAssertEqual(image.attribute("architecture"), "arm64")
        XCTAssertEqual(image.attribute("variant"), "v8")
        XCTAssertEqual(image.attribute("tag"), "1.4")
        XCTAssertEqual(image.children("layer").compactMap { $0.attribute("digest") }, sampleImage.layers)
        let result = try XCTUnwrap(root.child("reports")?.child("report")?.child("content")?.child("TestResult"))
        XCTAssertEqual(result.child("target")?.text, "oci:/build/layout:1.4")
        try oscapValidates(["ds", "rds-validate"], bytes)
        // The validator does look at the asset: a synthetic id without its resource fails.
        let broken = String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "<ai:synthetic-id resource=", with: "<ai:synthetic-id source=")
        try oscapValidates(["ds", "rds-validate"], Data(broken.utf8), expectValid: false)

        // A root file-system tarball has no digests of its own: its asset has what it has.
        var rootfs = imageReport()
        rootfs.scan.system?.image = ImageIdentity(reference: "rootfs:/tmp/root.tar", name: "rootfs:/tmp/root.tar",
                                                  layers: ["sha256:" + String(repeating: "3", count: 64)])
        let plain = try ReportPipeline.render(.arf, try report(rootfs))
        let plainSoftware = try XCTUnwrap(try XMLDocument.parse(bytes: Array(plain), label: "arf.xml").root?
            .child("assets")?.child("asset")?.child("software"))
        XCTAssertEqual(plainSoftware.children("synthetic-id").compactMap { $0.attribute("resource") },
                       ["urn:vigil:image:reference", "urn:vigil:image:name"])
        try oscapValidates(["ds", "rds-validate"], plain)
    }

    func testAHostStaysAComputingDeviceWithHostFacts() throws {
        let data = try report(identifiedReport())
        let arf = try ReportPipeline.render(.arf, data)
        let asset = try XCTUnwrap(try XMLDocument.parse(bytes: Array(arf), label: "arf.xml").root?.child("assets")?.child("asset"))
        XCTAssertEqual(asset.child("computing-device")?.child("hostname")?.text, "node-1")
        XCTAssertNil(asset.child("software"))
        let xccdf = String(decoding: try ReportPipeline.render(.xccdf, data), as: UTF8.self)
        XCTAssertFalse(xccdf.contains("urn:vigil:fact:image"), xccdf)
        XCTAssertTrue(xccdf.contains("<target>node-1</target>"))
        try oscapValidates(["ds", "rds-validate"], arf)
    }

    /// An archive's own names are the archive author's: markup stays text in HTML and
    /// XML (where the characters XML forbids show as `\x1b`), JSON carries them exactly,
    /// and XCCDF and ARF still validate.
    func testHostileImageNamesStayText() throws {
        var data = try report(imageReport())
        let hostile = "evil\"'<img src=x>&\u{1B}]0;pwned\u{07}"
        data.scan.system?.image?.reference = "docker-archive:/ci/" + hostile + ".tar"
        data.scan.system?.image?.name = hostile
        data.scan.system?.image?.tag = hostile
        data.scan.target = "docker-archive:/ci/" + hostile + ".tar"
        for format in ReportFormat.allCases {
            let bytes = try ReportPipeline.render(format, data)
            let text = String(decoding: bytes, as: UTF8.self)
            switch format {
            case .json:
                let image = (try JSONSerialization.jsonObject(with: bytes) as? [String: Any])?["image"] as? [String: Any]
                XCTAssertEqual(image?["name"] as? String, hostile)
            case .sarif, .hdf, .cklb:
                XCTAssertNoThrow(try JSONSerialization.jsonObject(with: bytes), "\(format)")
                XCTAssertFalse(bytes.contains(0x1B), "\(format): escaped by the encoder")
            case .html:
                XCTAssertFalse(text.contains("<img"))
                XCTAssertTrue(text.contains("<dd>evil&quot;&#39;&lt;img src=x&gt;&amp;"), text)
            default:
                XCTAssertFalse(text.contains("<img"), "\(format)")
                XCTAssertNoThrow(try XMLDocument.parse(bytes: Array(bytes), label: format.rawValue), "\(format)")
                XCTAssertTrue(text.contains("&lt;img src=x&gt;&amp;\\x1b]0;pwned\\x07"), "\(format)")
            }
        }
        try oscapValidates(["xccdf", "validate"], try ReportPipeline.render(.xccdf, data))
        try oscapValidates(["ds", "rds-validate"], try ReportPipeline.render(.arf, data))
    }
}
