import Foundation

/// A small SCAP 1.3 source data stream written by the tests: an XCCDF benchmark with
/// profiles, values, platforms and several kinds of checks, its OVAL definitions,
/// a CPE dictionary and the CPE OVAL that decides the platforms.
enum TestDataStream {
    static let xccdfNS = "http://checklists.nist.gov/xccdf/1.2"
    static let ovalSystem = "http://oval.mitre.org/XMLSchema/oval-definitions-5"

    static func rule(_ id: String, _ body: String, selected: Bool = true, severity: String = "medium") -> String {
        """
        <Rule id="xccdf_org.example_rule_\(id)" selected="\(selected)" severity="\(severity)">
          <title>\(id)</title><description>Rule \(id)</description>
          <ident system="https://ncp.nist.gov/cce">CCE-\(id)</ident>
          \(body)
        </Rule>
        """
    }

    static func ovalCheck(_ def: String, negate: Bool = false, exports: String = "") -> String {
        """
        <check system="\(ovalSystem)"\(negate ? " negate=\"true\"" : "")>\(exports)
          <check-content-ref href="oval.xml" name="oval:x:def:\(def)"/></check>
        """
    }

    static let benchmark = """
    <Benchmark xmlns="\(xccdfNS)" xmlns:cpe-lang="http://cpe.mitre.org/language/2.0" id="xccdf_org.example_benchmark_test" resolved="1" xml:lang="en-US">
      <status>draft</status>
      <title>Test benchmark</title>
      <description>For tests.</description>
      <platform idref="cpe:/o:example:testos:1"/>
      <version>1.2.3</version>
      <cpe-lang:platform-specification>
        <cpe-lang:platform id="absent_pkg">
          <cpe-lang:logical-test operator="AND" negate="false"><cpe-lang:fact-ref name="cpe:/a:example:absent"/></cpe-lang:logical-test>
        </cpe-lang:platform>
        <cpe-lang:platform id="not_absent_pkg">
          <cpe-lang:logical-test operator="AND" negate="true"><cpe-lang:fact-ref name="cpe:/a:example:absent"/></cpe-lang:logical-test>
        </cpe-lang:platform>
      </cpe-lang:platform-specification>
      <Profile id="xccdf_org.example_profile_strict">
        <title>Strict</title><description>Strict settings.</description>
        <select idref="xccdf_org.example_rule_unselected" selected="true"/>
        <select idref="xccdf_org.example_group_extra" selected="false"/>
        <refine-value idref="xccdf_org.example_value_root_login" selector="strict"/>
      </Profile>
      <Profile id="xccdf_org.example_profile_strict_extended" extends="xccdf_org.example_profile_strict">
        <title>Strict, extended</title><description>More.</description>
        <set-value idref="xccdf_org.example_value_root_login">no</set-value>
      </Profile>
      <Value id="xccdf_org.example_value_root_login" type="string">
        <title>PermitRootLogin</title>
        <value>no</value>
        <value selector="strict">prohibit-password</value>
      </Value>
      \(rule("root_login", ovalCheck("root_login", exports: #"<check-export value-id="xccdf_org.example_value_root_login" export-name="oval:x:var:root_login"/>"#)
            + #"<fix system="urn:xccdf:fix:script:ansible">- lineinfile: {}</fix><fix system="urn:xccdf:fix:script:sh">sed -i 's/^PermitRootLogin.*/PermitRootLogin <sub idref="xccdf_org.example_value_root_login" use="value"/>/' /etc/ssh/sshd_config</fix>"#,
            severity: "high"))
      \(rule("shadow_mode", ovalCheck("shadow_mode")))
      \(rule("negated", ovalCheck("root_login_present", negate: true)))
      \(rule("ocil_only", #"<check system="http://scap.nist.gov/schema/ocil/2"><check-content-ref href="ocil.xml" name="ocil:x:questionnaire:1"/></check>"#))
      \(rule("missing_def", ovalCheck("999")))
      \(rule("bad_regex", ovalCheck("bad_regex")))
      \(rule("complex_or", """
        <complex-check operator="OR">\(ovalCheck("shadow_mode"))\(ovalCheck("root_login_present"))</complex-check>
        """))
      \(rule("unselected", ovalCheck("root_login_present"), selected: false))
      \(rule("needs_unselected", #"<requires idref="xccdf_org.example_rule_unselected"/>"# + ovalCheck("root_login_present")))
      \(rule("conflict_first", #"<conflicts idref="xccdf_org.example_rule_conflict_second"/>"# + ovalCheck("root_login_present")))
      \(rule("conflict_second", #"<conflicts idref="xccdf_org.example_rule_conflict_first"/>"# + ovalCheck("root_login_present")))
      \(rule("multi", #"<check system="\#(ovalSystem)" multi-check="true"><check-content-ref href="oval.xml"/></check>"#, selected: false))
      <Group id="xccdf_org.example_group_extra">
        <title>Extra</title>
        \(rule("platform_na", "<platform idref=\"#absent_pkg\"/>" + ovalCheck("root_login_present")))
        \(rule("platform_ok", "<platform idref=\"#not_absent_pkg\"/>" + ovalCheck("root_login_present"), severity: "low"))
      </Group>
    </Benchmark>
    """

    static let oval = """
    <oval_definitions xmlns="http://oval.mitre.org/XMLSchema/oval-definitions-5"
      xmlns:oval="http://oval.mitre.org/XMLSchema/oval-common-5"
      xmlns:ind="http://oval.mitre.org/XMLSchema/oval-definitions-5#independent"
      xmlns:unix="http://oval.mitre.org/XMLSchema/oval-definitions-5#unix">
      <generator><oval:schema_version>5.11</oval:schema_version><oval:timestamp>2026-01-01T00:00:00</oval:timestamp></generator>
      <definitions>
        <definition id="oval:x:def:root_login" version="1" class="compliance">
          <metadata><title>root login</title><description>d</description></metadata>
          <criteria><criterion test_ref="oval:x:tst:root_login"/></criteria>
        </definition>
        <definition id="oval:x:def:root_login_present" version="1" class="compliance">
          <metadata><title>present</title><description>d</description></metadata>
          <criteria><criterion test_ref="oval:x:tst:root_login_present"/></criteria>
        </definition>
        <definition id="oval:x:def:shadow_mode" version="1" class="compliance">
          <metadata><title>shadow</title><description>d</description></metadata>
          <criteria><criterion test_ref="oval:x:tst:shadow_mode"/></criteria>
        </definition>
        <definition id="oval:x:def:bad_regex" version="1" class="compliance">
          <metadata><title>bad regex</title><description>d</description></metadata>
          <criteria><criterion test_ref="oval:x:tst:bad_regex"/></criteria>
        </definition>
      </definitions>
      <tests>
        <ind:textfilecontent54_test id="oval:x:tst:root_login" version="1" check="all" check_existence="all_exist" comment="c">
          <ind:object object_ref="oval:x:obj:root_login"/><ind:state state_ref="oval:x:ste:root_login"/></ind:textfilecontent54_test>
        <ind:textfilecontent54_test id="oval:x:tst:root_login_present" version="1" check="all" comment="c">
          <ind:object object_ref="oval:x:obj:root_login"/></ind:textfilecontent54_test>
        <unix:file_test id="oval:x:tst:shadow_mode" version="1" check="all" comment="c">
          <unix:object object_ref="oval:x:obj:shadow"/><unix:state state_ref="oval:x:ste:shadow"/></unix:file_test>
        <ind:textfilecontent54_test id="oval:x:tst:bad_regex" version="1" check="all" comment="c">
          <ind:object object_ref="oval:x:obj:bad_regex"/></ind:textfilecontent54_test>
      </tests>
      <objects>
        <ind:textfilecontent54_object id="oval:x:obj:root_login" version="1">
          <ind:filepath>/etc/ssh/sshd_config</ind:filepath>
          <ind:pattern operation="pattern match">^\\s*PermitRootLogin\\s+(\\S+)\\s*$</ind:pattern>
          <ind:instance datatype="int" operation="greater than or equal">1</ind:instance>
        </ind:textfilecontent54_object>
        <unix:file_object id="oval:x:obj:shadow" version="1"><unix:filepath>/etc/shadow</unix:filepath></unix:file_object>
        <ind:textfilecontent54_object id="oval:x:obj:bad_regex" version="1">
          <ind:filepath>/etc/ssh/sshd_config</ind:filepath>
          <ind:pattern operation="pattern match">^(unclosed</ind:pattern>
          <ind:instance datatype="int">1</ind:instance>
        </ind:textfilecontent54_object>
      </objects>
      <states>
        <ind:textfilecontent54_state id="oval:x:ste:root_login" version="1">
          <ind:subexpression var_ref="oval:x:var:root_login"/></ind:textfilecontent54_state>
        <unix:file_state id="oval:x:ste:shadow" version="1">
          <unix:gread datatype="boolean">false</unix:gread><unix:oread datatype="boolean">false</unix:oread></unix:file_state>
      </states>
      <variables>
        <external_variable id="oval:x:var:root_login" version="1" datatype="string" comment="from XCCDF"/>
      </variables>
    </oval_definitions>
    """

    static let cpeOval = """
    <oval_definitions xmlns="http://oval.mitre.org/XMLSchema/oval-definitions-5"
      xmlns:oval="http://oval.mitre.org/XMLSchema/oval-common-5"
      xmlns:unix="http://oval.mitre.org/XMLSchema/oval-definitions-5#unix">
      <generator><oval:schema_version>5.11</oval:schema_version><oval:timestamp>2026-01-01T00:00:00</oval:timestamp></generator>
      <definitions>
        <definition id="oval:cpe:def:testos" version="1" class="inventory">
          <metadata><title>test os</title><description>d</description></metadata>
          <criteria><criterion test_ref="oval:cpe:tst:testos"/></criteria></definition>
        <definition id="oval:cpe:def:absent" version="1" class="inventory">
          <metadata><title>absent</title><description>d</description></metadata>
          <criteria><criterion test_ref="oval:cpe:tst:absent"/></criteria></definition>
      </definitions>
      <tests>
        <unix:file_test id="oval:cpe:tst:testos" version="1" check="all" comment="c"><unix:object object_ref="oval:cpe:obj:testos"/></unix:file_test>
        <unix:file_test id="oval:cpe:tst:absent" version="1" check="all" comment="c"><unix:object object_ref="oval:cpe:obj:absent"/></unix:file_test>
      </tests>
      <objects>
        <unix:file_object id="oval:cpe:obj:testos" version="1"><unix:filepath>/etc/testos-release</unix:filepath></unix:file_object>
        <unix:file_object id="oval:cpe:obj:absent" version="1"><unix:filepath>/opt/absent</unix:filepath></unix:file_object>
      </objects>
    </oval_definitions>
    """

    static let cpeDictionary = """
    <cpe-list xmlns="http://cpe.mitre.org/dictionary/2.0">
      <cpe-item name="cpe:/o:example:testos:1"><title xml:lang="en-us">Test OS 1</title>
        <check system="\(ovalSystem)" href="cpe-oval.xml">oval:cpe:def:testos</check></cpe-item>
      <cpe-item name="cpe:/a:example:absent"><title xml:lang="en-us">Absent package</title>
        <check system="\(ovalSystem)" href="cpe-oval.xml">oval:cpe:def:absent</check></cpe-item>
    </cpe-list>
    """

    /// The whole data stream document.
    static var document: String {
        func comp(_ id: String, _ body: String) -> String {
            #"<ds:component id="scap_org.example_comp_\#(id)" timestamp="2026-01-01T00:00:00">\#(body)</ds:component>"#
        }
        return """
        <?xml version="1.0" encoding="UTF-8"?>
        <ds:data-stream-collection xmlns:ds="http://scap.nist.gov/schema/scap/source/1.2"
          xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:cat="urn:oasis:names:tc:entity:xmlns:xml:catalog"
          id="scap_org.example_collection_test" schematron-version="1.3">
          <ds:data-stream id="scap_org.example_datastream_test" scap-version="1.3" use-case="CONFIGURATION">
            <ds:dictionaries>
              <ds:component-ref id="scap_org.example_cref_cpe-dict" xlink:href="#scap_org.example_comp_cpe-dict">
                <cat:catalog><cat:uri name="cpe-oval.xml" uri="#scap_org.example_cref_cpe-oval"/></cat:catalog>
              </ds:component-ref>
            </ds:dictionaries>
            <ds:checklists>
              <ds:component-ref id="scap_org.example_cref_xccdf" xlink:href="#scap_org.example_comp_xccdf">
                <cat:catalog><cat:uri name="oval.xml" uri="#scap_org.example_cref_oval"/></cat:catalog>
              </ds:component-ref>
            </ds:checklists>
            <ds:checks>
              <ds:component-ref id="scap_org.example_cref_oval" xlink:href="#scap_org.example_comp_oval"/>
              <ds:component-ref id="scap_org.example_cref_cpe-oval" xlink:href="#scap_org.example_comp_cpe-oval"/>
            </ds:checks>
          </ds:data-stream>
          \(comp("cpe-dict", cpeDictionary))
          \(comp("xccdf", benchmark))
          \(comp("oval", oval))
          \(comp("cpe-oval", cpeOval))
        </ds:data-stream-collection>
        """
    }

    /// Writes the data stream and a root file system for it; returns (content path, root path).
    static func write(shadowMode: Int = 0o640, rootLogin: String = "no", testOS: Bool = true) throws -> (String, String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-engine-\(UUID().uuidString)")
        let root = dir.appendingPathComponent("root")
        let fm = FileManager.default
        try fm.createDirectory(at: root.appendingPathComponent("etc/ssh"), withIntermediateDirectories: true)
        try "# test\nPort 22\nPermitRootLogin \(rootLogin)\n".write(to: root.appendingPathComponent("etc/ssh/sshd_config"), atomically: true, encoding: .utf8)
        let shadow = root.appendingPathComponent("etc/shadow")
        try "root:*:19000:0:99999:7:::\n".write(to: shadow, atomically: true, encoding: .utf8)
        try fm.setAttributes([.posixPermissions: shadowMode], ofItemAtPath: shadow.path)
        if testOS { try "1\n".write(to: root.appendingPathComponent("etc/testos-release"), atomically: true, encoding: .utf8) }
        let content = dir.appendingPathComponent("ds.xml")
        try document.write(to: content, atomically: true, encoding: .utf8)
        return (content.path, root.path)
    }
}
