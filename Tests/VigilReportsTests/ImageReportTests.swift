import Foundation
import VigilCore
import VigilStore
import VigilXML
import XCTest
@testable import VigilReports

/// The identity of the image `imageReport` scanned.
let sampleImage = ImageIdentity(
    reference: "oci:/build/layout:1.4", name: "registry.example.com/team/app", tag: "1.4",
    manifestDigest: "sha256:" + String(repeating: "0123456789abcdef", count: 4),
    configDigest: "sha256:" + String(repeating: "fedcba9876543210", count: 4),
    os: "linux", architecture: "arm64", variant: "v8",
    layers: ["sha256:" + String(repeating: "1", count: 64), "sha256:" + String(repeating: "2", count: 64)])

/// The sample report as the engine makes it for `vigil scan --image oci:/build/layout:1.4`:
/// the image's name as host name, `image:NAME` as host id, the reference as target, and
/// the OS the image's os-release names (no kernel, no addresses).
func imageReport() -> ReportData {
    var data = sampleReport()
    data.scan.hostName = sampleImage.name
    data.scan.hostID = "image:" + sampleImage.name
    data.scan.target = sampleImage.reference
    data.scan.targetKind = "image"
    data.scan.system = SystemIdentity(
        hostName: sampleImage.name, osName: "Debian GNU/Linux", osVersion: "12",
        osPrettyName: "Debian GNU/Linux 12 (bookworm)", user: "ci", benchmarkTitle: "Sample benchmark",
        profileTitle: "Sample profile", profileDescription: "What the profile checks.", image: sampleImage)
    return data
}

/// Every format names a scanned image in its own natural place; a host scan's reports
/// carry no image field.
final class ImageReportTests: XCTestCase {
    func testJSONHasTheTargetAndTheImageAndFollowsTheSchema() throws {
        let data = try ReportPipeline.render(.json, imageReport())
        var object = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual(object["schemaVersion"] as? String, "1.3")
        let target = try XCTUnwrap(object["target"] as? [String: String])
        XCTAssertEqual(target, ["kind": "image", "reference": "oci:/build/layout:1.4"])
        let image = try XCTUnwrap(object["image"] as? [String: Any])
        XCTAssertEqual(image["reference"] as? String, sampleImage.reference)
        XCTAssertEqual(image["name"] as? String, "registry.example.com/team/app")
        XCTAssertEqual(image["tag"] as? String, "1.4")
        XCTAssertEqual(image["manifestDigest"] as? String, sampleImage.manifestDigest)
        XCTAssertEqual(image["configDigest"] as? String, sampleImage.configDigest)
        XCTAssertEqual([image["os"], image["architecture"], image["variant"]] as? [String], ["linux", "arm64", "v8"])
        XCTAssertEqual(image["layers"] as? [String], sampleImage.layers)
        let scan = try XCTUnwrap(object["scan"] as? [String: Any])
        XCTAssertEqual(scan["targetKind"] as? String, "image")
        XCTAssertNil((scan["system"] as? [String: Any])?["image"], "the image is reported once, at the top")
        XCTAssertEqual((scan["system"] as? [String: Any])?["osPrettyName"] as? String, "Debian GNU/Linux 12 (bookworm)")
        try SchemaCheck.validate(data, against: "vigil-report.schema.json")

        // The schema does check the image: a digest that is not one is refused.
        var broken = image
        broken["manifestDigest"] = "latest"
        object["image"] = broken
        XCTAssertThrowsError(try SchemaCheck.validate(try JSONSerialization.data(withJSONObject: object),
                                                      against: "vigil-report.schema.json"))
    }

    func testJSONOfAHostHasATargetAndNoImage() throws {
        let data = try ReportPipeline.render(.json, identifiedReport())
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual(object["target"] as? [String: String], ["kind": "host", "reference": "/"])
        XCTAssertNil(object["image"])
        XCTAssertNil((object["scan"] as? [String: Any]).flatMap { ($0["system"] as? [String: Any])?["image"] })
        try SchemaCheck.validate(data, against: "vigil-report.schema.json")
    }

    func testHTMLShowsTheImageInPlaceOfTheHost() throws {
        let page = String(decoding: try ReportPipeline.render(.html, imageReport()), as: UTF8.self)
        let facts = try systemFacts(page)
        XCTAssertEqual(facts["Image"], "registry.example.com/team/app:1.4")
        XCTAssertEqual(facts["Reference"], "oci:/build/layout:1.4")
        XCTAssertEqual(facts["Manifest digest"], sampleImage.manifestDigest)
        XCTAssertEqual(facts["Config digest"], sampleImage.configDigest)
        XCTAssertEqual(facts["Platform"], "linux/arm64/v8")
        XCTAssertEqual(facts["Layers"], "2")
        XCTAssertEqual(facts["Operating system"], "Debian GNU/Linux 12 (bookworm)")
        XCTAssertEqual(facts["Target"], "image oci:/build/layout:1.4")
        for hostOnly in ["Host name", "FQDN", "Machine id", "Kernel", "Architecture", "IP addresses", "MAC addresses"] {
            XCTAssertNil(facts[hostOnly], hostOnly)
        }
        XCTAssertTrue(page.contains("<summary>Scanned image</summary>"))
        XCTAssertTrue(page.contains("<div class=\"meta\">Image <b>registry.example.com/team/app</b>"))

        let host = String(decoding: try ReportPipeline.render(.html, identifiedReport()), as: UTF8.self)
        let hostFacts = try systemFacts(host)
        XCTAssertEqual(hostFacts["Host name"], "node-1")
        XCTAssertEqual(hostFacts["Kernel"], "5.14.0-284.el9.x86_64 #1 SMP PREEMPT_DYNAMIC")
        for imageOnly in ["Image", "Reference", "Manifest digest", "Config digest", "Platform", "Layers"] {
            XCTAssertNil(hostFacts[imageOnly], imageOnly)
        }
        XCTAssertTrue(host.contains("<summary>Scanned system</summary>"))
        XCTAssertTrue(host.contains("<div class=\"meta\">Host <b>node-1</b>"))
    }

    /// The `<dt>`/`<dd>` pairs of the page's system facts, parsed as XML.
    func systemFacts(_ page: String) throws -> [String: String] {
        let list = try XCTUnwrap(page.components(separatedBy: "<details class=\"system\" open>").dropFirst().first?
            .components(separatedBy: "</details>").first?.components(separatedBy: "<dl>").dropFirst().first?
            .components(separatedBy: "</dl>").first)
        let root = try XCTUnwrap(try XMLDocument.parse(string: "<dl>" + list + "</dl>", label: "facts").root)
        let terms = root.children("dt").map(\.text), values = root.children("dd").map(\.text)
        XCTAssertEqual(terms.count, values.count)
        return Dictionary(zip(terms, values), uniquingKeysWith: { a, _ in a })
    }

    func testJUnitNamesTheImageAsHostnameAndProperties() throws {
        let properties = try junit(imageReport())
        XCTAssertEqual(properties.hostname, "registry.example.com/team/app")
        let p = properties.values
        XCTAssertEqual(p["targetKind"], "image")
        XCTAssertEqual(p["target"], "oci:/build/layout:1.4")
        XCTAssertEqual(p["image"], "oci:/build/layout:1.4")
        XCTAssertEqual(p["imageName"], "registry.example.com/team/app")
        XCTAssertEqual(p["imageTag"], "1.4")
        XCTAssertEqual(p["imageManifestDigest"], sampleImage.manifestDigest)
        XCTAssertEqual(p["imageConfigDigest"], sampleImage.configDigest)
        XCTAssertEqual(p["imagePlatform"], "linux/arm64/v8")
        XCTAssertEqual(p["imageLayers"], sampleImage.layers.joined(separator: ","))

        let host = try junit(identifiedReport())
        XCTAssertEqual(host.hostname, "node-1")
        XCTAssertEqual(host.values.keys.filter { $0.hasPrefix("image") }, [])
    }

    func junit(_ data: ReportData) throws -> (hostname: String?, values: [String: String]) {
        let xml = try ReportPipeline.render(.junit, data)
        let suite = try XCTUnwrap(try XMLDocument.parse(bytes: Array(xml), label: "junit.xml").root?.child("testsuite"))
        let properties = try XCTUnwrap(suite.child("properties")).children("property").map {
            ($0.attribute("name") ?? "", $0.attribute("value") ?? "")
        }
        return (suite.attribute("hostname"), Dictionary(properties, uniquingKeysWith: { a, _ in a }))
    }

    func testSARIFRunIsCategorisedByTheImageAndCarriesItsDigests() throws {
        let bytes = try ReportPipeline.render(.sarif, imageReport())
        let run = try sarifRun(bytes)
        let details = try XCTUnwrap(run["automationDetails"] as? [String: Any])
        XCTAssertEqual(details["id"] as? String, "vigil/registry.example.com/team/app/")
        XCTAssertEqual((details["description"] as? [String: Any])?["text"] as? String,
                       "Image: registry.example.com/team/app:1.4  manifest sha256:0123456789ab  linux/arm64/v8")
        let properties = try XCTUnwrap(run["properties"] as? [String: Any])
        XCTAssertEqual(properties["imageManifestDigest"] as? String, sampleImage.manifestDigest)
        XCTAssertEqual(properties["imageConfigDigest"] as? String, sampleImage.configDigest)
        XCTAssertEqual(properties["targetKind"] as? String, "image")
        let invocation = try XCTUnwrap((run["invocations"] as? [[String: Any]])?.first)
        XCTAssertNil(invocation["machine"], "the image is not the machine Vigil ran on")
        XCTAssertEqual(invocation["account"] as? String, "ci")
        let results = try XCTUnwrap(run["results"] as? [[String: Any]])
        XCTAssertFalse(results.isEmpty)
        for result in results {
            let location = try XCTUnwrap(((result["locations"] as? [[String: Any]])?.first?["logicalLocations"] as? [[String: Any]])?.first)
            XCTAssertEqual(location["fullyQualifiedName"] as? String, "oci:/build/layout:1.4")
            XCTAssertEqual(location["name"] as? String, "registry.example.com/team/app")
        }
        try SchemaCheck.validateSARIF(bytes)

        let host = try sarifRun(try ReportPipeline.render(.sarif, identifiedReport()))
        XCTAssertNil(host["automationDetails"])
        XCTAssertEqual(((host["invocations"] as? [[String: Any]])?.first)?["machine"] as? String, "node-1")
        XCTAssertEqual((host["properties"] as? [String: Any])?.keys.filter { $0.hasPrefix("image") }, [])
    }

    func sarifRun(_ bytes: Data) throws -> [String: Any] {
        let log = try XCTUnwrap(JSONSerialization.jsonObject(with: bytes) as? [String: Any])
        return try XCTUnwrap((log["runs"] as? [[String: Any]])?.first)
    }

    func testHDFTargetsTheReferenceAndPassesTheImageThrough() throws {
        func hdf(_ data: ReportData) throws -> [String: Any] {
            try XCTUnwrap(JSONSerialization.jsonObject(with: try ReportPipeline.render(.hdf, data)) as? [String: Any])
        }
        let root = try hdf(imageReport())
        let platform = try XCTUnwrap(root["platform"] as? [String: Any])
        XCTAssertEqual(platform["target_id"] as? String, "oci:/build/layout:1.4")
        XCTAssertEqual(platform["name"] as? String, "debian gnu/linux")
        XCTAssertEqual(platform["release"] as? String, "12")
        let vigil = try XCTUnwrap((root["passthrough"] as? [String: Any])?["vigil"] as? [String: Any])
        let image = try XCTUnwrap(vigil["image"] as? [String: Any])
        XCTAssertEqual(image["manifestDigest"] as? String, sampleImage.manifestDigest)
        XCTAssertEqual(image["configDigest"] as? String, sampleImage.configDigest)
        XCTAssertEqual(image["layers"] as? [String], sampleImage.layers)
        XCTAssertEqual(vigil["targetKind"] as? String, "image")
        XCTAssertNil((vigil["system"] as? [String: Any])?["image"])

        let host = try hdf(identifiedReport())
        XCTAssertEqual((host["platform"] as? [String: Any])?["target_id"] as? String, "node-1")
        XCTAssertNil(((host["passthrough"] as? [String: Any])?["vigil"] as? [String: Any])?["image"])
    }

    func testCKLAndCKLBNameTheImageAsAComputingAssetWithNoRole() throws {
        let data = imageReport()
        let root = try XCTUnwrap(try XMLDocument.parse(bytes: Array(try ReportPipeline.render(.ckl, data)), label: "x.ckl").root)
        let asset = try XCTUnwrap(root.child("ASSET"))
        XCTAssertEqual(asset.child("HOST_NAME")?.text, "registry.example.com/team/app")
        XCTAssertEqual(asset.child("ASSET_TYPE")?.text, "Computing")
        XCTAssertEqual(asset.child("ROLE")?.text, "None")
        for empty in ["HOST_IP", "HOST_MAC", "HOST_FQDN", "TARGET_KEY"] { XCTAssertEqual(asset.child(empty)?.text, "", empty) }
        let comment = try XCTUnwrap(asset.child("TARGET_COMMENT")?.text)
        for part in ["of oci:/build/layout:1.4 (image)", "image registry.example.com/team/app:1.4",
                     "manifest \(sampleImage.manifestDigest!)", "config \(sampleImage.configDigest!)",
                     "platform linux/arm64/v8", "OS: Debian GNU/Linux 12 (bookworm)"] {
            XCTAssertTrue(comment.contains(part), "\(part) in \(comment)")
        }
        let cklb = try XCTUnwrap(JSONSerialization.jsonObject(with: try ReportPipeline.render(.cklb, data)) as? [String: Any])
        let target = try XCTUnwrap(cklb["target_data"] as? [String: Any])
        XCTAssertEqual(target["host_name"] as? String, "registry.example.com/team/app")
        XCTAssertEqual(target["target_type"] as? String, "Computing")
        XCTAssertEqual(target["role"] as? String, "None")
        XCTAssertEqual(target["comments"] as? String, comment)
        XCTAssertEqual(target["ip_address"] as? String, "")
        XCTAssertTrue((cklb["title"] as? String)?.hasPrefix("registry.example.com/team/app ") == true)
    }

    func testTheTerminalLineNamesTheImageAndItsShortDigest() {
        XCTAssertEqual(ImageFacts.line(sampleImage),
                       "Image: registry.example.com/team/app:1.4  manifest sha256:0123456789ab  linux/arm64/v8")
        let rootfs = ImageIdentity(reference: "rootfs:/tmp/root.tar.zst", name: "rootfs:/tmp/root.tar.zst",
                                   layers: ["sha256:" + String(repeating: "3", count: 64)])
        XCTAssertEqual(ImageFacts.line(rootfs), "Image: rootfs:/tmp/root.tar.zst  no manifest (root file-system tarball)")
        // A docker-archive tag that is a whole name is not doubled.
        let archive = ImageIdentity(reference: "docker-archive:image.tar:app:1.4", name: "app", tag: "app:1.4")
        XCTAssertEqual(ImageFacts.taggedName(archive), "app:1.4")
        XCTAssertEqual(ImageFacts.shortDigest("sha512:" + String(repeating: "ab", count: 64)), "sha512:abababababab")
    }
}
