import Foundation
import XCTest

/// The files under `deploy/` and the tools the deployment tests run on them: YAML read through
/// Python's PyYAML (which kubernetes-validate brings), programs run with `ImageCommand.run`.
enum Deploy {
    static let root = ImageCommand.sources.appendingPathComponent("deploy")
    static let systemd = root.appendingPathComponent("systemd")
    static let kubernetes = root.appendingPathComponent("kubernetes")
    static let buildImage = root.appendingPathComponent("container/build-image.sh").path
    static let validator = root.appendingPathComponent("validate/validate-manifests.py").path
    static let units = ["vigil-scan.service", "vigil-scan.timer", "vigil-watch.service"]

    /// Skips the test when `tool` cannot be run here; in CI, `CI=true`, fails instead.
    static func require(_ tool: String, because: String) throws {
        let found = (try? ImageCommand.run("/bin/sh", ["-c", "command -v \(tool)"]))?.status == 0
        if found { return }
        if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail("CI installs \(tool): \(because)") }
        throw XCTSkip("\(tool) is not installed: \(because)")
    }

    /// Skips (fails in CI) when a Python module cannot be imported.
    static func requirePython(_ module: String) throws {
        if (try? ImageCommand.run("/usr/bin/env", ["python3", "-c", "import \(module)"]))?.status == 0 { return }
        if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail("CI installs python3 \(module)") }
        throw XCTSkip("python3 \(module) is not installed")
    }

    /// Every YAML document of a file, as JSON objects.
    static func documents(_ path: String) throws -> [[String: Any]] {
        let script = "import json, sys, yaml; print(json.dumps([d for d in yaml.safe_load_all(open(sys.argv[1])) if d]))"
        let r = try ImageCommand.run("/usr/bin/env", ["python3", "-c", script, path])
        guard r.status == 0, let docs = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]] else {
            throw CocoaError(.fileReadCorruptFile, userInfo: [NSLocalizedDescriptionKey: "\(path): \(r.stderr)"])
        }
        return docs
    }

    /// The one document of `kind` in the manifest at `relative` (under deploy/kubernetes).
    static func manifest(_ relative: String, kind: String) throws -> [String: Any] {
        let docs = try documents(kubernetes.appendingPathComponent(relative).path).filter { $0["kind"] as? String == kind }
        XCTAssertEqual(docs.count, 1, "\(relative): one \(kind)")
        return try XCTUnwrap(docs.first)
    }

    /// The value at a path of keys (and array indexes) in a JSON object.
    static func value(_ object: Any?, _ path: Any...) -> Any? {
        path.reduce(object) { current, key in
            switch (current, key) {
            case let (dict as [String: Any], key as String): return dict[key]
            case let (array as [Any], index as Int): return index < array.count ? array[index] : nil
            default: return nil
            }
        }
    }

    /// The `[Section] Key=` values of a unit file (a key set twice gives both, in order;
    /// continuation lines joined).
    static func unitSettings(_ path: String) throws -> [String: [String]] {
        let text = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: "\\\n", with: " ")
        var section = "", settings: [String: [String]] = [:]
        for raw in text.split(separator: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("[") { section = String(line.dropFirst().dropLast()); continue }
            guard let eq = line.firstIndex(of: "=") else { continue }
            let key = section + "." + line[..<eq].trimmingCharacters(in: .whitespaces)
            settings[key, default: []].append(line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces))
        }
        return settings
    }
}
