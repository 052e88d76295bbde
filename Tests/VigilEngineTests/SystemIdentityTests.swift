import Foundation
import VigilEngine
import VigilProbes
import VigilReports
import VigilStore
import XCTest

/// The scanned system's identity: collected from the target at scan time (OS from its
/// os-release, FQDN from its /etc/hosts; kernel, architecture and addresses from the live
/// host only), stored with the scan, and in the reports of a stored scan.
final class SystemIdentityTests: XCTestCase {
    /// An offline root: os-release, hostname and hosts of its own.
    func offlineRoot() throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-ident-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("etc"), withIntermediateDirectories: true)
        try """
            NAME="Red Hat Enterprise Linux"
            VERSION_ID="9.2"
            # a comment
            PRETTY_NAME='Red Hat Enterprise Linux 9.2 (Plow)'
            ID=rhel
            """.write(to: root.appendingPathComponent("etc/os-release"), atomically: true, encoding: .utf8)
        try "web1\n".write(to: root.appendingPathComponent("etc/hostname"), atomically: true, encoding: .utf8)
        try "127.0.0.1 localhost\n10.0.0.5\tweb1.corp.example web1 # the host\n"
            .write(to: root.appendingPathComponent("etc/hosts"), atomically: true, encoding: .utf8)
        return root.path
    }

    func testAnOfflineRootIsIdentifiedByItsOwnFilesWithoutLiveFacts() throws {
        let identity = HostIdentity.of(try Targets.root(try offlineRoot()))
        let s = identity.system
        XCTAssertEqual(identity.name, "web1")
        XCTAssertEqual(s.hostName, "web1")
        XCTAssertEqual(s.fqdn, "web1.corp.example")
        XCTAssertEqual(s.osName, "Red Hat Enterprise Linux")
        XCTAssertEqual(s.osVersion, "9.2")
        XCTAssertEqual(s.osPrettyName, "Red Hat Enterprise Linux 9.2 (Plow)")
        XCTAssertEqual([s.kernelRelease, s.kernelVersion, s.architecture], ["", "", ""], "not the scanning host's kernel")
        XCTAssertEqual(s.ipAddresses, [])
        XCTAssertEqual(s.macAddresses, [])
        XCTAssertEqual(s.user, ProcessInfo.processInfo.userName)
    }

    func testTheLiveHostHasItsKernelArchitectureAndAddresses() throws {
        let s = HostIdentity.of(Targets.host).system
        XCTAssertEqual(s.kernelRelease, try shell("uname", "-r"))
        XCTAssertEqual(s.kernelVersion, try shell("uname", "-v"))
        XCTAssertEqual(s.architecture, try shell("uname", "-m"))
        XCTAssertEqual(s.hostName, HostIdentity.scanningHostName())
        if let release = try? String(contentsOfFile: "/etc/os-release", encoding: .utf8),
           let line = release.split(separator: "\n").first(where: { $0.hasPrefix("NAME=") }) {
            XCTAssertEqual(s.osName, line.dropFirst(5).trimmingCharacters(in: CharacterSet(charactersIn: "\"")))
        }
        XCTAssertFalse(s.ipAddresses.contains("127.0.0.1"), "loopback is left out")
        XCTAssertFalse(s.ipAddresses.contains("::1"))
        XCTAssertFalse(s.ipAddresses.contains { $0.contains("%") }, "no zone suffix: \(s.ipAddresses)")
        // Every address `ip` would list for a non-loopback interface (when iproute2 is here).
        if let listed = try? shell("sh", "-c", "command -v ip >/dev/null && ip -o addr show | awk '$2 != \"lo\" {print $4}' | cut -d/ -f1"),
           !listed.isEmpty {
            XCTAssertEqual(Set(s.ipAddresses), Set(listed.split(separator: "\n").map(String.init)))
        }
        // The interfaces' addresses as the shell reads them, loopback's zeros left out.
        let macs = try shell("sh", "-c", "cat /sys/class/net/*/address 2>/dev/null | tr A-F a-f | grep -v '^00:00:00:00:00:00$' | awk 'length($0) == 17 && !seen[$0]++'")
        XCTAssertEqual(s.macAddresses, macs.split(separator: "\n").map(String.init))
    }

    func testMACAddressesComeFromSysClassNetWithoutLoopback() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-net-\(UUID().uuidString)")
        for (name, mac) in [("lo", "00:00:00:00:00:00"), ("eth1", "AA:BB:CC:DD:EE:02"), ("eth0", "aa:bb:cc:dd:ee:01"),
                            ("tun0", ""), ("bond0", "aa:bb:cc:dd:ee:01")] {
            try FileManager.default.createDirectory(at: dir.appendingPathComponent(name), withIntermediateDirectories: true)
            try (mac + "\n").write(to: dir.appendingPathComponent(name + "/address"), atomically: true, encoding: .utf8)
        }
        XCTAssertEqual(SystemFacts.macAddresses(sysClassNet: dir.path), ["aa:bb:cc:dd:ee:01", "aa:bb:cc:dd:ee:02"])
        XCTAssertEqual(SystemFacts.macAddresses(sysClassNet: dir.path + "/missing"), [])
    }

    func testFQDNIsReadFromHostsOrADottedName() {
        let hosts = "127.0.1.1 other.example other\n10.1.1.1 db db.lab.example\n"
        XCTAssertEqual(SystemFacts.fqdn("db", hosts: hosts), "db.lab.example")
        XCTAssertEqual(SystemFacts.fqdn("db.lab.example", hosts: ""), "db.lab.example")
        XCTAssertEqual(SystemFacts.fqdn("web", hosts: hosts), "", "no line names it")
        XCTAssertEqual(SystemFacts.fqdn("other", hosts: "#127.0.1.1 other.example other\n"), "", "comments are not read")
    }

    func testAStoredScanKeepsTheIdentityAndItsReportsCarryIt() throws {
        let (path, _) = try TestDataStream.write()
        let root = try offlineRoot()
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var options = ScanOptions(vigilVersion: "test")
        options.content = path
        options.root = root
        options.jobs = 2
        options.profile = "strict"
        options.store = dir + "/vigil.db"
        let outcome = try ScanSession(options).run()
        XCTAssertTrue(outcome.problems.isEmpty, "\(outcome.problems)")
        let store = try ScanStore(path: dir + "/vigil.db")
        let system = try XCTUnwrap(try store.scan("last").system)
        XCTAssertEqual(system.osName, "Red Hat Enterprise Linux")
        XCTAssertEqual(system.fqdn, "web1.corp.example")
        XCTAssertEqual(system.benchmarkTitle, "Test benchmark")
        XCTAssertEqual(system.profileTitle, "Strict")
        XCTAssertEqual(system.profileDescription, "Strict settings.")
        let report = try StoredScanReport("last", in: store, format: .json, waivers: nil)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: try ReportPipeline.render(.json, report.data)) as? [String: Any])
        let scan = try XCTUnwrap(json["scan"] as? [String: Any])
        XCTAssertEqual(scan["targetKind"] as? String, "root")
        XCTAssertEqual(scan["vigilVersion"] as? String, "test")
        let stored = try XCTUnwrap(scan["system"] as? [String: Any])
        XCTAssertEqual(stored["osVersion"] as? String, "9.2")
        XCTAssertEqual(stored["profileTitle"] as? String, "Strict")
        XCTAssertEqual(stored["user"] as? String, ProcessInfo.processInfo.userName)
    }

    /// A command's standard output, trimmed.
    func shell(_ arguments: String...) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = arguments
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
