import Foundation
import VigilContent
import VigilCore
import VigilStore
import VigilXML

/// Writes an XCCDF 1.2 TestResult inside a copy of the benchmark, as
/// `oscap xccdf eval --results` does, so that other SCAP tools can read it.
package enum ResultsWriter {
    static let vigilVersion = VigilVersion.current

    /// The benchmark as the content writes it (its inherited namespaces declared on it),
    /// with the TestResult as its last child; the content is not parsed again.
    package static func xml(content: SCAPContent, result: ScanResult, hostname: String,
                            system: SystemIdentity? = nil) throws -> Data {
        let testResult = testResult(result, benchmark: content.benchmark, hostname: hostname, system: system)
        return try benchmarkSource(content).document(appending: Array((testResult + "\n").utf8), as: Data.self)
    }

    /// What `xml` makes, handed to `sink` piece by piece: the content file is read again
    /// in chunks as it is copied, not held (see `XMLElementSource.writeDocument`).
    package static func write(content: SCAPContent, result: ScanResult, hostname: String,
                              system: SystemIdentity? = nil, to sink: XMLByteSink) throws {
        let testResult = testResult(result, benchmark: content.benchmark, hostname: hostname, system: system)
        try benchmarkSource(content).writeDocument(appending: Array((testResult + "\n").utf8), to: sink)
    }

    /// The benchmark's source recorded when the content was loaded.
    static func benchmarkSource(_ content: SCAPContent) throws -> XMLElementSource {
        guard let source = content.benchmarkSource else {
            throw ReportError("benchmark \(content.benchmark.id) not found in \(content.path) to write results")
        }
        return source
    }

    static func timestamp(_ d: Date) -> String { InternetDateTime.local(d) }

    static func testResult(_ r: ScanResult, benchmark b: XCCDFBenchmark, hostname: String, system: SystemIdentity? = nil) -> String {
        let e = xmlEscape
        let suffix = (r.profileID ?? "default").replacingOccurrences(of: "(all)", with: "all")
        let idPart = suffix.hasPrefix("xccdf_") ? String(suffix.split(separator: "_", maxSplits: 3).last ?? "default") : suffix
        var x = """
        <TestResult xmlns="http://checklists.nist.gov/xccdf/1.2" id="xccdf_org.vigil_testresult_\(e(sanitize(idPart)))" \
        start-time="\(timestamp(r.startTime))" end-time="\(timestamp(r.endTime))" version="\(e(b.version))" \
        test-system="cpe:/a:vigil:vigil:\(vigilVersion)">
        <benchmark href="\(e(r.contentPath))" id="\(e(b.id))"/>
        <title>Vigil Scan Result</title>
        <identity authenticated="false" privileged="\(getuid() == 0)">\(e(system?.user ?? ProcessInfo.processInfo.userName))</identity>

        """
        if let p = r.profileID, p != XCCDFNames.allRulesProfile { x += "<profile idref=\"\(e(p))\"/>\n" }
        x += "<target>\(e(hostname))</target>\n" + targetFacts(system) + "\n"
        for (id, value) in r.setValues { x += "<set-value idref=\"\(e(id))\">\(e(value))</set-value>\n" }
        for rr in r.ruleResults {
            let rule = b.rules[rr.ruleID]
            x += "<rule-result idref=\"\(e(rr.ruleID))\" role=\"\(e(rr.role))\" time=\"\(timestamp(rr.time))\" "
            x += "severity=\"\(e(rr.severity))\" weight=\"\(String(format: "%.6f", rr.weight))\">"
            x += "<result>\(rr.result.rawValue)</result>"
            for ident in rule?.idents ?? [] { x += "<ident system=\"\(e(ident.system))\">\(e(ident.value))</ident>" }
            if let m = rr.message { x += "<message severity=\"info\">\(e(m))</message>" }
            if let c = rr.check {
                x += "<check system=\"\(e(c.system))\"><check-content-ref href=\"\(e(c.href))\""
                if let n = c.name { x += " name=\"\(e(n))\"" }
                x += "/></check>"
            }
            x += "</rule-result>\n"
        }
        for s in r.scores {
            x += "<score system=\"\(s.system)\" maximum=\"\(String(format: "%.6f", s.maximum))\">\(String(format: "%.6f", s.value))</score>\n"
        }
        return x + "</TestResult>"
    }

    /// The `<target-address>`es and `<target-facts>` of the scanned system, with the fact
    /// names `oscap xccdf eval --results` uses (MACs in upper case, as oscap writes them).
    /// An image has no address, and its facts are `ImageFacts.xccdfFacts`.
    static func targetFacts(_ system: SystemIdentity?) -> String {
        let e = xmlEscape
        var x = ""
        var facts = [("urn:xccdf:fact:scanner:name", "Vigil"), ("urn:xccdf:fact:scanner:version", vigilVersion)]
        if let image = system?.image {
            facts += ImageFacts.xccdfFacts(image)
        } else if let s = system {
            x = s.ipAddresses.map { "<target-address>\(e($0))</target-address>" }.joined()
            if !s.fqdn.isEmpty { facts.append(("urn:xccdf:fact:asset:identifier:fqdn", s.fqdn)) }
            if !s.hostName.isEmpty { facts.append(("urn:xccdf:fact:asset:identifier:host_name", s.hostName)) }
            for mac in s.macAddresses.map({ $0.uppercased() }) {
                facts += [("urn:xccdf:fact:ethernet:MAC", mac), ("urn:xccdf:fact:asset:identifier:mac", mac)]
            }
            facts += s.ipv4Addresses.map { ("urn:xccdf:fact:asset:identifier:ipv4", $0) }
            facts += s.ipv6Addresses.map { ("urn:xccdf:fact:asset:identifier:ipv6", $0) }
        }
        x += "<target-facts>" + facts.map { "<fact name=\"\($0.0)\" type=\"string\">\(e($0.1))</fact>" }.joined() + "</target-facts>"
        return x
    }

    /// An NCName-safe id part.
    static func sanitize(_ s: String) -> String {
        String(s.map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "." ? $0 : "_" })
    }
}
