import Foundation
import XCTest

/// deploy/systemd: every unit is accepted by `systemd-analyze verify`, the hardening drop-in
/// applies to both services and keeps their exposure low, and the units run what they promise.
final class DeploySystemdTests: XCTestCase {
    /// A file-system root for systemd-analyze --root: the system's own units (for the targets
    /// ours refer to), ours in /etc/systemd/system, and the built vigil at ExecStart's path.
    func unitRoot(withBinary: Bool = true, withDropIn: Bool = true) throws -> URL {
        let root = try ImageCommand.tempDir("units")
        addTeardownBlock { try? FileManager.default.removeItem(at: root) }
        let fm = FileManager.default
        let system = root.appendingPathComponent("usr/lib/systemd")
        try fm.createDirectory(at: system, withIntermediateDirectories: true)
        try fm.copyItem(atPath: "/lib/systemd/system", toPath: system.appendingPathComponent("system").path)
        let etc = root.appendingPathComponent("etc/systemd/system")
        try fm.createDirectory(at: etc, withIntermediateDirectories: true)
        for unit in Deploy.units { try fm.copyItem(at: Deploy.systemd.appendingPathComponent(unit), to: etc.appendingPathComponent(unit)) }
        if withDropIn {
            try fm.copyItem(at: Deploy.systemd.appendingPathComponent("vigil-.service.d"), to: etc.appendingPathComponent("vigil-.service.d"))
        }
        if withBinary {
            let bin = root.appendingPathComponent("usr/local/bin")
            try fm.createDirectory(at: bin, withIntermediateDirectories: true)
            try fm.copyItem(atPath: ImageCommand.vigil, toPath: bin.appendingPathComponent("vigil").path)
        }
        return root
    }

    func verify(_ root: URL) throws -> ImageCommand.Output {
        // --man=no: the man page is installed by setup.sh, not in this root.
        try ImageCommand.run("/usr/bin/env", ["systemd-analyze", "verify", "--root=\(root.path)", "--man=no"] + Deploy.units)
    }

    func testEveryUnitIsAcceptedBySystemdAnalyzeVerify() throws {
        try Deploy.require("systemd-analyze", because: "it verifies the systemd units")
        let ok = try verify(try unitRoot())
        XCTAssertEqual(ok.status, 0, ok.stderr)
        XCTAssertEqual(ok.stderr, "", "verify warns of nothing (unknown keys, bad values)")

        // Without the binary the same units are refused: the check looks at ExecStart.
        let missing = try verify(try unitRoot(withBinary: false))
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.stderr.contains("/usr/local/bin/vigil"), missing.stderr)
    }

    /// The exposure `systemd-analyze security` gives each service (0 safest, 10 worst).
    func exposure(_ root: URL) throws -> [String: Double] {
        var scores: [String: Double] = [:]
        for unit in ["vigil-scan.service", "vigil-watch.service"] {
            let r = try ImageCommand.run("/usr/bin/env", ["systemd-analyze", "security", "--offline=yes", "--root=\(root.path)", unit])
            XCTAssertEqual(r.status, 0, r.stderr)
            let line = try XCTUnwrap(r.stdout.split(separator: "\n").first { $0.contains("Overall exposure level for \(unit)") }, r.stdout)
            let number = line.split(separator: ":").last?.split(separator: " ").first
            scores[unit] = try XCTUnwrap(number.flatMap { Double($0) }, String(line))
        }
        return scores
    }

    func testTheSandboxAppliesToBothServicesAndKeepsTheirExposureLow() throws {
        try Deploy.require("systemd-analyze", because: "it rates the services' sandbox")
        let hardened = try exposure(try unitRoot())
        XCTAssertEqual(hardened.count, 2)
        for (unit, score) in hardened { XCTAssertLessThanOrEqual(score, 2.5, unit) }
        // The drop-in is what hardens both: without it each is far more exposed.
        let bare = try exposure(try unitRoot(withDropIn: false))
        for (unit, score) in bare { XCTAssertGreaterThan(score, 7, unit) }
    }

    func testUnitsRunWhatTheyPromise() throws {
        let scan = try Deploy.unitSettings(Deploy.systemd.appendingPathComponent("vigil-scan.service").path)
        XCTAssertEqual(scan["Service.Type"], ["oneshot"])
        XCTAssertEqual(scan["Service.ExecStart"], ["/usr/local/bin/vigil watch --once --report-dir /var/lib/vigil/reports"])

        let timer = try Deploy.unitSettings(Deploy.systemd.appendingPathComponent("vigil-scan.timer").path)
        XCTAssertEqual(timer["Timer.OnCalendar"], ["daily"])
        XCTAssertEqual(timer["Timer.Persistent"], ["true"])
        XCTAssertNotNil(timer["Timer.RandomizedDelaySec"])

        let watch = try Deploy.unitSettings(Deploy.systemd.appendingPathComponent("vigil-watch.service").path)
        let exec = try XCTUnwrap(watch["Service.ExecStart"]?.first).split(separator: " ").map(String.init)
        for flag in [["--every", "6h"], ["--on-change"], ["--report-dir", "/var/lib/vigil/reports"],
                     ["--metrics-listen", "127.0.0.1:9818"],
                     ["--metrics-file", "/var/lib/node_exporter/textfile_collector/vigil.prom"]] {
            XCTAssertNotNil(exec.indices.first { Array(exec[$0..<min($0 + flag.count, exec.count)]) == flag }, "\(flag) in \(exec)")
        }

        let sandbox = try Deploy.unitSettings(Deploy.systemd.appendingPathComponent("vigil-.service.d/hardening.conf").path)
        let expected: [String: String] = [
            "CapabilityBoundingSet": "CAP_DAC_READ_SEARCH", "ProtectSystem": "strict", "ReadWritePaths": "/var/lib/vigil",
            "StateDirectory": "vigil", "StateDirectoryMode": "0700", "ProtectHome": "read-only", "PrivateTmp": "yes",
            "NoNewPrivileges": "yes", "RestrictAddressFamilies": "AF_UNIX AF_INET AF_INET6", "RestrictNamespaces": "yes",
            "LockPersonality": "yes", "ProtectKernelModules": "yes", "ProtectKernelTunables": "yes", "IOSchedulingClass": "idle",
        ]
        for (key, value) in expected { XCTAssertEqual(sandbox["Service.\(key)"], [value], key) }
        XCTAssertEqual(sandbox["Service.SystemCallFilter"]?.first, "@system-service")
        XCTAssertNotNil(sandbox["Service.MemoryMax"])
        XCTAssertNotNil(sandbox["Service.CPUQuota"])
        // Settings with no effect when written in the units themselves would override it.
        for unit in [scan, watch] { XCTAssertNil(unit["Service.CapabilityBoundingSet"]) }
    }
}
