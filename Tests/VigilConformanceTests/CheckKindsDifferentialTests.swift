import Foundation
import XCTest

/// Every check kind of the rule format (`rules/README.md`), compiled by `vigil build` and
/// evaluated by oscap and Vigil on this machine and on the prepared root. The baseline
/// does not use every kind (no `package` or `yaml` check), so this folder does.
final class CheckKindsDifferentialTests: XCTestCase {
    static let rules: [String: String] = [
        "benchmark.yaml": """
            id: kinds
            title: Every check kind
            version: "1"
            values:
              max_tries: {title: Max tries, type: number, default: "4", options: {strict: "3"}}
            profiles:
              strict: {title: Strict, rules: [sshd_max_tries, shadow_mode, kubelet_anonymous], values: {max_tries: strict}}
            """,
        "ssh/sshd_root.yaml": rule("sshd_root", platform: "{package: openssh-server}", """
              key_value: {files: [/etc/ssh/sshd_config, /etc/ssh/sshd_config.d/*.conf], key: PermitRootLogin, value: "no"}
            """),
        "ssh/sshd_max_tries.yaml": rule("sshd_max_tries", """
              key_value: {files: [/etc/ssh/sshd_config], key: MaxAuthTries, ignore_case: true, at_most: "${max_tries}"}
            """),
        "ssh/sshd_ciphers.yaml": rule("sshd_ciphers", """
              key_value: {files: [/etc/ssh/sshd_config], key: Ciphers, allowed: [aes256-ctr, aes192-ctr, aes128-ctr]}
            """),
        "ssh/sshd_alive.yaml": rule("sshd_alive", """
              key_value: {files: [/etc/ssh/sshd_config], key: ClientAliveInterval, at_least: "1", at_most: "900"}
            """),
        "ssh/host_keys.yaml": rule("host_keys", """
              file: {path: /etc/ssh, name_pattern: '^ssh_host_.*_key$', mode: "0600", owner: root, missing: pass}
            """),
        "files/shadow_mode.yaml": rule("shadow_mode", """
              file: {path: /etc/shadow, mode: "0640", owner: 0, group: 0}
            """),
        "files/no_hosts_equiv.yaml": rule("no_hosts_equiv", """
              file: {path: /etc/hosts.equiv, exists: false}
            """),
        "files/issue_text.yaml": rule("issue_text", """
              line: {files: [/etc/issue], pattern: '(?i)authorized'}
            """),
        "files/no_debian_in_issue.yaml": rule("no_debian_in_issue", """
              line: {files: [/etc/issue, /etc/issue.net], pattern: 'Debian', present: false}
            """),
        "kernel/aslr.yaml": rule("aslr", """
              sysctl: {name: kernel.randomize_va_space, value: "2"}
            """),
        "kernel/forwarding_configured.yaml": rule("forwarding_configured", """
              sysctl: {name: net.ipv4.ip_forward, value: "0", runtime: false}
            """),
        "kernel/fips_arg.yaml": rule("fips_arg", """
              kernel_arg: {name: fips, value: "1"}
            """),
        "kernel/audit_arg_configured.yaml": rule("audit_arg_configured", """
              kernel_arg: {name: audit, runtime: false}
            """),
        "packages/no_telnetd.yaml": rule("no_telnetd", """
              package: {name: telnetd, installed: false}
            """),
        "packages/no_rsh_server.yaml": rule("no_rsh_server", """
              package: {name: rsh-server, installed: false}
            """),
        "packages/libc6.yaml": rule("libc6", """
              package: {name: libc6}
            """),
        "services/auditd_enabled.yaml": rule("auditd_enabled", """
              service: {name: auditd, enabled: true}
            """),
        "services/ssh_not_enabled.yaml": rule("ssh_not_enabled", """
              service: {name: ssh, enabled: false}
            """),
        "kubernetes/kubelet_anonymous.yaml": rule("kubelet_anonymous", """
              yaml: {path: /var/lib/kubelet/config.yaml, yamlpath: .authentication.anonymous.enabled, value: "false"}
            """),
        "kubernetes/kubelet_read_only_port.yaml": rule("kubelet_read_only_port", """
              yaml: {path: /var/lib/kubelet/config.yaml, yamlpath: .readOnlyPort, value_pattern: '0', missing: pass}
            """),
        "raw.yaml": rule("raw_motd", """
              oval: |
                <ind:textfilecontent54_test id="oval:com.example:tst:1" version="1" check="all"
                    check_existence="none_exist" comment="login.defs has no MD5">
                  <ind:object object_ref="oval:com.example:obj:1"/>
                </ind:textfilecontent54_test>
                <ind:textfilecontent54_object id="oval:com.example:obj:1" version="1">
                  <ind:filepath>/etc/login.defs</ind:filepath>
                  <ind:pattern operation="pattern match">^\\s*ENCRYPT_METHOD\\s+MD5</ind:pattern>
                  <ind:instance datatype="int" operation="greater than or equal">1</ind:instance>
                </ind:textfilecontent54_object>
            """),
    ]

    static func rule(_ id: String, platform: String? = nil, _ check: String) -> String {
        "id: \(id)\ntitle: \(id)\nseverity: medium\ndescription: \(id)\n"
            + (platform.map { "platform: \($0)\n" } ?? "") + "check:\n" + check
    }

    func testEveryCheckKindAgreesWithOscapOnThisMachineAndAPreparedRoot() throws {
        let baseline = BaselineDifferentialTests.self
        let t = try baseline.tools()
        let work = try Shell.tempDir()
        let folder = work.appendingPathComponent("kinds")
        for (path, text) in Self.rules {
            let url = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        let ds = work.appendingPathComponent("kinds-ds.xml").path
        let b = try Shell.run(Shell.vigilBinary, ["build", folder.path, "-o", ds])
        XCTAssertEqual(b.status, 0, b.stderr)
        XCTAssertEqual(try Shell.run(t.oscap, ["ds", "sds-validate", ds]).status, 0)

        let root = try PreparedRoot.make(in: work.appendingPathComponent("root"))
        var outcomes: [String: Int] = [:]
        for (name, profile, rootDir) in [("host", nil, nil), ("host-strict", "xccdf_io.vigil_profile_strict", nil),
                                         ("root", nil, root), ("root-strict", "xccdf_io.vigil_profile_strict", root)] as [(String, String?, String?)] {
            let (out, status, counts) = try baseline.compare(t, ds: ds, profile: profile, root: rootDir, work: work, name: name)
            XCTAssertEqual(status, 0, "oscap and vigil differ (\(name)):\n\(out)")
            XCTAssertTrue(out.contains("(100.0%)"), out)
            if name == "root" { outcomes = counts }
        }
        XCTAssertGreaterThanOrEqual(outcomes["pass"] ?? 0, 6, "\(outcomes)")
        XCTAssertGreaterThanOrEqual(outcomes["fail"] ?? 0, 6, "\(outcomes)")
    }
}
