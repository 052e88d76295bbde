import FuzzSupport
import VigilContent
import VigilXML

/// Fuzzes the content loader with one XML document, dispatched on its root element as Vigil
/// meets it: a source data stream or an XCCDF benchmark (`SCAPContent`), OVAL definitions
/// (`OVALLoader`), a CPE dictionary (`CPELoader`), or an XCCDF tailoring file (applied to a small
/// fixed benchmark through `SCAPContent.load(path:tailoring:)`, which reads files).
/// Errors are expected; a crash, hang or runaway memory use is a finding.
enum Harness {
    static func run(_ bytes: [UInt8]) {
        guard let doc = try? XMLDocument.parse(bytes: bytes, label: "fuzz.xml"), let root = doc.root else { return }
        switch root.name {
        case "data-stream-collection", "Benchmark":
            // Standalone benchmarks resolve OVAL hrefs beside the label: the scratch folder,
            // which holds `oval.xml`.
            guard let content = try? SCAPContent.loadCompiled(bytes, label: scratch("content.xml")) else { return }
            // Writing results copies the benchmark as the load recorded it in the same bytes.
            _ = try? content.benchmarkSource?.document()
        case "oval_definitions":
            _ = try? OVALLoader.load(root)
        case "cpe-list":
            let dictionary = CPELoader.dictionary(root)
            _ = dictionary.checks.count
        case "platform":
            _ = try? CPELoader.platform(root)
        case "Tailoring":
            let path = FuzzScratch.write(bytes, to: "tailoring.xml")
            _ = try? SCAPContent.load(path: scratch("benchmark.xml"), tailoring: path)
        default:
            return
        }
    }

    static func describe(_ bytes: [UInt8]) -> String {
        let root = (try? XMLDocument.parse(bytes: bytes, label: "fuzz.xml"))?.root
        return "root <\(root?.name ?? "none")>, \(bytes.count) bytes"
    }

    /// The scratch folder with the fixed benchmark and OVAL file written once.
    static func scratch(_ name: String) -> String {
        _ = fixtures
        return FuzzScratch.path(name)
    }

    static let fixtures: Void = {
        FuzzScratch.write(Array(benchmark.utf8), to: "benchmark.xml")
        FuzzScratch.write(Array(oval.utf8), to: "oval.xml")
    }()

    /// The benchmark tailoring inputs are applied to (profile ids for `extends`).
    static let benchmark = """
    <?xml version="1.0" encoding="UTF-8"?>
    <Benchmark xmlns="http://checklists.nist.gov/xccdf/1.2" id="xccdf_io.vigil_benchmark_fuzz" resolved="1">
      <status>accepted</status>
      <title>Fuzz</title>
      <version>1</version>
      <Profile id="xccdf_io.vigil_profile_base">
        <title>Base</title>
        <select idref="xccdf_io.vigil_rule_one" selected="true"/>
        <refine-value idref="xccdf_io.vigil_value_count" selector="strict"/>
      </Profile>
      <Value id="xccdf_io.vigil_value_count" type="number">
        <title>Count</title>
        <value>4</value>
        <value selector="strict">3</value>
      </Value>
      <Group id="xccdf_io.vigil_group_g">
        <title>G</title>
        <Rule id="xccdf_io.vigil_rule_one" selected="false" severity="medium">
          <title>One</title>
          <check system="http://oval.mitre.org/XMLSchema/oval-definitions-5">
            <check-export export-name="oval:io.vigil:var:1" value-id="xccdf_io.vigil_value_count"/>
            <check-content-ref href="oval.xml" name="oval:io.vigil:def:1"/>
          </check>
        </Rule>
        <Rule id="xccdf_io.vigil_rule_two" selected="true" severity="low">
          <title>Two</title>
          <complex-check operator="AND">
            <check system="http://oval.mitre.org/XMLSchema/oval-definitions-5">
              <check-content-ref href="oval.xml" name="oval:io.vigil:def:1"/>
            </check>
          </complex-check>
        </Rule>
      </Group>
    </Benchmark>
    """

    /// The OVAL file beside standalone benchmarks.
    static let oval = """
    <?xml version="1.0" encoding="UTF-8"?>
    <oval_definitions xmlns="http://oval.mitre.org/XMLSchema/oval-definitions-5"
        xmlns:ind="http://oval.mitre.org/XMLSchema/oval-definitions-5#independent"
        xmlns:oval="http://oval.mitre.org/XMLSchema/oval-common-5">
      <generator><oval:schema_version>5.11.2</oval:schema_version><oval:timestamp>2025-01-01T00:00:00</oval:timestamp></generator>
      <definitions>
        <definition class="compliance" id="oval:io.vigil:def:1" version="1">
          <metadata><title>One</title><description>One</description></metadata>
          <criteria><criterion test_ref="oval:io.vigil:tst:1"/></criteria>
        </definition>
      </definitions>
      <tests>
        <ind:variable_test check="all" id="oval:io.vigil:tst:1" version="1" comment="c">
          <ind:object object_ref="oval:io.vigil:obj:1"/>
          <ind:state state_ref="oval:io.vigil:ste:1"/>
        </ind:variable_test>
      </tests>
      <objects>
        <ind:variable_object id="oval:io.vigil:obj:1" version="1"><ind:var_ref>oval:io.vigil:var:1</ind:var_ref></ind:variable_object>
      </objects>
      <states>
        <ind:variable_state id="oval:io.vigil:ste:1" version="1"><ind:value datatype="int" operation="less than or equal">4</ind:value></ind:variable_state>
      </states>
      <variables>
        <external_variable id="oval:io.vigil:var:1" version="1" datatype="int" comment="count"/>
      </variables>
    </oval_definitions>
    """
}
