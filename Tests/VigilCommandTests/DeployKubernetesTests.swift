import Foundation
import XCTest
@testable import vigil

/// deploy/kubernetes: the manifests pass a strict offline schema validation (which refuses
/// what it should), keep the security settings the README promises, and run command lines
/// that Vigil's own parser accepts.
final class DeployKubernetesTests: XCTestCase {
    func validate(_ dir: String? = nil) throws -> ImageCommand.Output {
        try ImageCommand.run("/usr/bin/env", ["python3", Deploy.validator] + (dir.map { [$0] } ?? []))
    }

    func testManifestsPassStrictOfflineValidation() throws {
        try Deploy.requirePython("kubernetes_validate")
        let r = try validate()
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        for kind in ["Namespace/vigil", "ServiceAccount/vigil", "DaemonSet/vigil", "Service/vigil-metrics",
                     "CronJob/vigil-scan", "ServiceMonitor/vigil"] {
            XCTAssertTrue(r.stdout.contains(": \(kind) ("), "\(kind) checked:\n\(r.stdout)")
        }
    }

    /// A copy of deploy/kubernetes with one file changed by `edit`: what the validator says.
    func validateBroken(_ file: String, _ edit: (String) -> String) throws -> ImageCommand.Output {
        let dir = try ImageCommand.tempDir("manifests")
        defer { try? FileManager.default.removeItem(at: dir) }
        let copy = dir.appendingPathComponent("kubernetes")
        try FileManager.default.copyItem(at: Deploy.kubernetes, to: copy)
        let path = copy.appendingPathComponent(file).path
        if FileManager.default.fileExists(atPath: path) {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let changed = edit(text)
            XCTAssertNotEqual(changed, text, "the edit of \(file) changes it")
            try changed.write(toFile: path, atomically: true, encoding: .utf8)
        } else {
            try edit("").write(toFile: path, atomically: true, encoding: .utf8)
        }
        return try validate(copy.path)
    }

    func testValidationRefusesUnknownFieldsBadValuesAndStrayFiles() throws {
        try Deploy.requirePython("kubernetes_validate")
        let cases: [(file: String, expect: String, edit: (String) -> String)] = [
            ("daemonset/daemonset.yaml", "'readOnlyRootFileSystem' was unexpected",
             { $0.replacingOccurrences(of: "readOnlyRootFilesystem", with: "readOnlyRootFileSystem") }),
            ("cronjob/cronjob.yaml", "concurrencyPolicy",
             { $0.replacingOccurrences(of: "concurrencyPolicy: Forbid", with: "concurrencyPolicy: 3") }),
            ("servicemonitor/servicemonitor.yaml", "'scrapeEvery' was unexpected",
             { $0.replacingOccurrences(of: "interval: 60s", with: "scrapeEvery: 60s") }),
            ("servicemonitor/servicemonitor.yaml", "'https2' is not one of",
             { $0.replacingOccurrences(of: "scheme: http", with: "scheme: https2") }),
            ("stray.yaml", "listed by no kustomization.yaml",
             { _ in "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: vigil}\n" }),
            ("daemonset/kustomization.yaml", "resource missing.yaml does not exist",
             { $0.replacingOccurrences(of: "  - service.yaml", with: "  - service.yaml\n  - missing.yaml") }),
            ("servicemonitor/kustomization.yaml", "kustomize refuses the cycle",
             { $0.replacingOccurrences(of: "  - ../daemonset", with: "  - ..") }),
            ("base/namespace.yaml", "Couldn't find schema for kind Nmespace",
             { $0.replacingOccurrences(of: "kind: Namespace", with: "kind: Nmespace") }),
        ]
        for c in cases {
            let r = try validateBroken(c.file, c.edit)
            XCTAssertEqual(r.status, 1, "\(c.file): \(r.stdout)")
            XCTAssertTrue(r.stdout.contains(c.expect), "\(c.file): expected \(c.expect) in\n\(r.stdout)")
        }
    }

    /// The pod spec of the DaemonSet and of the CronJob.
    func podSpecs() throws -> [(String, [String: Any])] {
        let ds = try Deploy.manifest("daemonset/daemonset.yaml", kind: "DaemonSet")
        let cj = try Deploy.manifest("cronjob/cronjob.yaml", kind: "CronJob")
        return [("DaemonSet", try XCTUnwrap(Deploy.value(ds, "spec", "template", "spec") as? [String: Any])),
                ("CronJob", try XCTUnwrap(Deploy.value(cj, "spec", "jobTemplate", "spec", "template", "spec") as? [String: Any]))]
    }

    func testPodsKeepTheSecurityPromises() throws {
        try Deploy.requirePython("yaml")
        for (kind, pod) in try podSpecs() {
            for key in ["hostPID", "hostIPC", "hostNetwork", "automountServiceAccountToken"] {
                XCTAssertEqual(pod[key] as? Bool, false, "\(kind) \(key)")
            }
            XCTAssertEqual(Deploy.value(pod, "securityContext", "seccompProfile", "type") as? String, "RuntimeDefault", kind)
            XCTAssertEqual(Deploy.value(pod, "securityContext", "runAsUser") as? Int, 0, kind)
            XCTAssertEqual(Deploy.value(pod, "nodeSelector", "kubernetes.io/os") as? String, "linux", kind)
            let containers = try XCTUnwrap(pod["containers"] as? [[String: Any]])
            XCTAssertEqual(containers.count, 1, kind)
            let c = containers[0]
            XCTAssertEqual(Deploy.value(c, "securityContext", "readOnlyRootFilesystem") as? Bool, true, kind)
            XCTAssertEqual(Deploy.value(c, "securityContext", "allowPrivilegeEscalation") as? Bool, false, kind)
            XCTAssertEqual(Deploy.value(c, "securityContext", "privileged") as? Bool, false, kind)
            XCTAssertEqual(Deploy.value(c, "securityContext", "capabilities", "drop") as? [String], ["ALL"], kind)
            XCTAssertEqual(Deploy.value(c, "securityContext", "capabilities", "add") as? [String], ["DAC_READ_SEARCH"], kind)
            for resource in ["cpu", "memory"] {
                XCTAssertNotNil(Deploy.value(c, "resources", "limits", resource), "\(kind) limits \(resource)")
                XCTAssertNotNil(Deploy.value(c, "resources", "requests", resource), "\(kind) requests \(resource)")
            }
            try checkVolumes(kind, pod: pod, container: c)
            try checkTolerations(kind, pod: pod)
            let args = try XCTUnwrap(c["args"] as? [String])
            let stop = try XCTUnwrap(args.firstIndex(of: "--stop-timeout").flatMap { Int(args[$0 + 1]) }, "\(kind) --stop-timeout")
            XCTAssertGreaterThan(try XCTUnwrap(pod["terminationGracePeriodSeconds"] as? Int), stop, kind)
            XCTAssertEqual(args.firstIndex(of: "--root").map { args[$0 + 1] }, "/host", kind)
        }
    }

    /// The host root is mounted read-only all the way down; the only writable host path is
    /// /var/lib/vigil; nothing else of the host is mounted.
    func checkVolumes(_ kind: String, pod: [String: Any], container: [String: Any]) throws {
        let volumes = try XCTUnwrap(pod["volumes"] as? [[String: Any]])
        let hostPaths = Dictionary(uniqueKeysWithValues: volumes.compactMap { v -> (String, String)? in
            (Deploy.value(v, "hostPath", "path") as? String).map { (v["name"] as? String ?? "", $0) }
        })
        XCTAssertEqual(Set(hostPaths.values), ["/", "/var/lib/vigil"], kind)
        let mounts = try XCTUnwrap(container["volumeMounts"] as? [[String: Any]])
        for mount in mounts {
            guard let name = mount["name"] as? String, let hostPath = hostPaths[name] else { continue }
            if hostPath == "/" {
                XCTAssertEqual(mount["mountPath"] as? String, "/host", kind)
                XCTAssertEqual(mount["readOnly"] as? Bool, true, kind)
                XCTAssertEqual(mount["mountPropagation"] as? String, "None", kind)
                XCTAssertEqual(mount["recursiveReadOnly"] as? String, "IfPossible", kind)
            } else {
                XCTAssertEqual(mount["mountPath"] as? String, "/var/lib/vigil", kind)
            }
        }
        let state = try XCTUnwrap(volumes.first { Deploy.value($0, "hostPath", "path") as? String == "/var/lib/vigil" })
        XCTAssertEqual(Deploy.value(state, "hostPath", "type") as? String, "DirectoryOrCreate", kind)
    }

    /// Control-plane nodes (both taint names) and every other taint are tolerated.
    func checkTolerations(_ kind: String, pod: [String: Any]) throws {
        let tolerations = try XCTUnwrap(pod["tolerations"] as? [[String: Any]])
        for key in ["node-role.kubernetes.io/control-plane", "node-role.kubernetes.io/master"] {
            XCTAssertTrue(tolerations.contains { $0["key"] as? String == key && $0["effect"] as? String == "NoSchedule" }, "\(kind) \(key)")
        }
        XCTAssertTrue(tolerations.contains { $0["key"] == nil && $0["operator"] as? String == "Exists" && $0["effect"] == nil },
                      "\(kind) tolerates every taint")
    }
}
