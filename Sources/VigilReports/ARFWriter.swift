import Foundation
import VigilContent
import VigilCore
import VigilStore
import VigilXML

/// Writes an Asset Reporting Format 1.1 report, as `oscap xccdf eval --results-arf`
/// does: the content that was evaluated (the report request), the scanned asset, and
/// the XCCDF TestResult about it. A host is a computing device; an image is a software
/// asset (`imageAsset`), and its TestResult's target is the image reference.
package enum ARFWriter {
    package static func xml(content: SCAPContent, result: ScanResult, hostname: String,
                            system: SystemIdentity? = nil) throws -> Data {
        let e = xmlEscape
        var target = asset(hostname)
        let assetXML: String
        if let image = system?.image {
            target = image.reference
            assetXML = imageAsset(image)
        } else {
            let fqdn = system.map { $0.fqdn.isEmpty ? target : asset($0.fqdn) } ?? target
            assetXML = "<ai:computing-device>\(connections(system))<ai:fqdn>\(e(fqdn))</ai:fqdn><ai:hostname>\(e(target))</ai:hostname></ai:computing-device>"
        }
        guard let root = content.rootSource else { throw ReportError("cannot copy \(content.path) into the ARF report") }
        let head = """
        <arf:asset-report-collection xmlns:arf="http://scap.nist.gov/schema/asset-reporting-format/1.1" \
        xmlns:core="http://scap.nist.gov/schema/reporting-core/1.1" \
        xmlns:ai="http://scap.nist.gov/schema/asset-identification/1.1">
          <core:relationships xmlns:arfvocab="http://scap.nist.gov/specifications/arf/vocabulary/relationships/1.0#">
            <core:relationship type="arfvocab:createdFor" subject="xccdf1"><core:ref>collection1</core:ref></core:relationship>
            <core:relationship type="arfvocab:isAbout" subject="xccdf1"><core:ref>asset0</core:ref></core:relationship>
          </core:relationships>
          <arf:report-requests>
            <arf:report-request id="collection1"><arf:content>
        """
        let middle = """
        </arf:content></arf:report-request>
          </arf:report-requests>
          <arf:assets>
            <arf:asset id="asset0">
              \(assetXML)
            </arf:asset>
          </arf:assets>
          <arf:reports>
            <arf:report id="xccdf1"><arf:content>
        """
        let tail = """
        </arf:content></arf:report>
          </arf:reports>
        </arf:asset-report-collection>

        """
        // The content as its file holds it (where it was recorded at the load), not parsed again.
        let testResult = ResultsWriter.testResult(result, benchmark: content.benchmark, hostname: target, system: system)
        var out = Data(capacity: root.byteCount + head.utf8.count + middle.utf8.count + testResult.utf8.count + tail.utf8.count + 64)
        out.append(contentsOf: Array((XMLElementSource.declaration + head).utf8))
        try root.write(into: &out)
        out.append(contentsOf: Array((middle + testResult + tail).utf8))
        return out
    }

    /// An image as an asset: a software asset (asset identification has no kind for an
    /// image; it is not a computing device) identified by synthetic ids for its reference,
    /// name and digests (`urn:vigil:image:*` resources), with the whole identity as
    /// extended information in Vigil's namespace.
    static func imageAsset(_ image: ImageIdentity) -> String {
        let e = xmlEscape
        let ids: [(String, String?)] = [("reference", image.reference), ("name", image.name),
                                        ("manifest-digest", image.manifestDigest), ("config-digest", image.configDigest)]
        var x = "<ai:software>"
        for case let (resource, id?) in ids where !id.isEmpty {
            x += "<ai:synthetic-id resource=\"urn:vigil:image:\(resource)\" id=\"\(e(id))\"/>"
        }
        let attributes: [(String, String?)] = [
            ("reference", image.reference), ("name", image.name), ("tag", image.tag), ("manifest-digest", image.manifestDigest),
            ("config-digest", image.configDigest), ("os", image.os), ("architecture", image.architecture), ("variant", image.variant),
        ]
        x += "<ai:extended-information><vigil:image xmlns:vigil=\"urn:vigil:image\""
        for case let (name, value?) in attributes where !value.isEmpty { x += " \(name)=\"\(e(value))\"" }
        x += ">" + image.layers.map { "<vigil:layer digest=\"\(e($0))\"/>" }.joined()
        return x + "</vigil:image></ai:extended-information></ai:software>"
    }

    /// The asset's `<ai:connections>`: one per IP address, then one per MAC address not
    /// yet paired (addresses and MACs are not tied to interfaces in `SystemIdentity`).
    static func connections(_ system: SystemIdentity?) -> String {
        guard let s = system, !(s.ipAddresses.isEmpty && s.macAddresses.isEmpty) else { return "" }
        var x = "<ai:connections>"
        for ip in s.ipv4Addresses {
            x += "<ai:connection><ai:ip-address><ai:ip-v4>\(xmlEscape(ip))</ai:ip-v4></ai:ip-address></ai:connection>"
        }
        for ip in s.ipv6Addresses.compactMap(expandedIPv6) {
            x += "<ai:connection><ai:ip-address><ai:ip-v6>\(ip)</ai:ip-v6></ai:ip-address></ai:connection>"
        }
        for mac in s.macAddresses { x += "<ai:connection><ai:mac-address>\(mac.uppercased())</ai:mac-address></ai:connection>" }
        return x + "</ai:connections>"
    }

    /// An IPv6 address in the eight-group form asset identification requires
    /// ("fd00::2" is "fd00:0:0:0:0:0:0:2"); nil for text that is not one.
    static func expandedIPv6(_ text: String) -> String? {
        var address = in6_addr()
        guard inet_pton(AF_INET6, text, &address) == 1 else { return nil }
        let bytes = withUnsafeBytes(of: &address) { Array($0) }
        return stride(from: 0, to: 16, by: 2).map { String(Int(bytes[$0]) << 8 | Int(bytes[$0 + 1]), radix: 16) }
            .joined(separator: ":")
    }

    /// A host name as asset identification allows it (`[\w-]+(\.[\w-]+)*`): other
    /// characters become "-" (an offline root without /etc/hostname is named by its path).
    static func asset(_ name: String) -> String {
        let mapped = String(name.map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "." ? $0 : "-" })
        let parts = mapped.split(separator: ".", omittingEmptySubsequences: true)
        let joined = parts.joined(separator: ".")
        return joined.isEmpty ? "unknown" : joined
    }
}
