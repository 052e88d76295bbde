import Foundation
import XCTest
@testable import vigil

/// What ties the deployment files together: the command lines they run parse with Vigil's
/// own parser, and the metrics port is the same in the DaemonSet, the Service and the
/// ServiceMonitor.
final class DeployWiringTests: XCTestCase {
    /// Every `vigil watch` command line under deploy/: the units' ExecStart and the pods' args.
    func commandLines() throws -> [(String, [String])] {
        var lines: [(String, [String])] = []
        for unit in ["vigil-scan.service", "vigil-watch.service"] {
            let exec = try XCTUnwrap(try Deploy.unitSettings(Deploy.systemd.appendingPathComponent(unit).path)["Service.ExecStart"]?.first)
            let words = exec.split(separator: " ").map(String.init)
            XCTAssertEqual(words.first, "/usr/local/bin/vigil", unit)
            lines.append((unit, Array(words.dropFirst())))
        }
        let ds = try Deploy.manifest("daemonset/daemonset.yaml", kind: "DaemonSet")
        let cj = try Deploy.manifest("cronjob/cronjob.yaml", kind: "CronJob")
        lines.append(("DaemonSet", try XCTUnwrap(Deploy.value(ds, "spec", "template", "spec", "containers", 0, "args") as? [String])))
        lines.append(("CronJob", try XCTUnwrap(Deploy.value(cj, "spec", "jobTemplate", "spec", "template", "spec",
                                                             "containers", 0, "args") as? [String])))
        return lines
    }

    func testDeployedCommandLinesParse() throws {
        try Deploy.requirePython("yaml")
        let lines = try commandLines()
        XCTAssertEqual(lines.count, 4)
        for (what, arguments) in lines {
            XCTAssertEqual(arguments.first, "watch", what)
            XCTAssertNoThrow(try Watch.parse(Array(arguments.dropFirst())), "\(what): \(arguments)")
        }
        // The same check refuses a misspelt option.
        XCTAssertThrowsError(try Watch.parse(["--every", "6h", "--rooot", "/host"]))
    }

    func testTheMetricsPortIsOneAcrossDaemonSetServiceAndServiceMonitor() throws {
        try Deploy.requirePython("yaml")
        let ds = try Deploy.manifest("daemonset/daemonset.yaml", kind: "DaemonSet")
        let service = try Deploy.manifest("daemonset/service.yaml", kind: "Service")
        let monitor = try Deploy.manifest("servicemonitor/servicemonitor.yaml", kind: "ServiceMonitor")
        let container = try XCTUnwrap(Deploy.value(ds, "spec", "template", "spec", "containers", 0) as? [String: Any])
        let args = try XCTUnwrap(container["args"] as? [String])
        let listen = try XCTUnwrap(args.firstIndex(of: "--metrics-listen").map { args[$0 + 1] })
        let port = try XCTUnwrap(Int(listen.split(separator: ":").last ?? ""))
        XCTAssertEqual(port, 9818, "Vigil's default metrics port")
        XCTAssertEqual(Deploy.value(container, "ports", 0, "containerPort") as? Int, port)
        let portName = try XCTUnwrap(Deploy.value(container, "ports", 0, "name") as? String)

        // The Service selects the DaemonSet's pods and forwards to the named port.
        let podLabels = try XCTUnwrap(Deploy.value(ds, "spec", "template", "metadata", "labels") as? [String: String])
        let selector = try XCTUnwrap(Deploy.value(service, "spec", "selector") as? [String: String])
        XCTAssertTrue(selector.allSatisfy { podLabels[$0.key] == $0.value }, "\(selector) selects \(podLabels)")
        XCTAssertEqual(Deploy.value(service, "spec", "ports", 0, "port") as? Int, port)
        XCTAssertEqual(Deploy.value(service, "spec", "ports", 0, "targetPort") as? String, portName)

        // The ServiceMonitor selects the Service, in its namespace, by its port's name.
        let serviceLabels = try XCTUnwrap(Deploy.value(service, "metadata", "labels") as? [String: String])
        let match = try XCTUnwrap(Deploy.value(monitor, "spec", "selector", "matchLabels") as? [String: String])
        XCTAssertTrue(match.allSatisfy { serviceLabels[$0.key] == $0.value }, "\(match) selects \(serviceLabels)")
        XCTAssertEqual(Deploy.value(monitor, "spec", "namespaceSelector", "matchNames") as? [String],
                       [try XCTUnwrap(Deploy.value(service, "metadata", "namespace") as? String)])
        XCTAssertEqual(Deploy.value(monitor, "spec", "endpoints", 0, "port") as? String, Deploy.value(service, "spec", "ports", 0, "name") as? String)
        XCTAssertEqual(Deploy.value(monitor, "spec", "endpoints", 0, "path") as? String, "/metrics")
    }
}
