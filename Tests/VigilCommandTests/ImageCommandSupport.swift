import Foundation
import XCTest

/// Runs the `vigil` executable on images that `build-image.py` (Tests/VigilImageTests/Fixtures)
/// writes: as a separate process, so that its standard error, exit code and what it leaves
/// in its temporary directory can be checked, and, as root, as another user.
enum ImageCommand {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let script = sources.appendingPathComponent("Tests/VigilImageTests/Fixtures/build-image.py").path
    static let baseline = sources.appendingPathComponent("rules/linux-baseline").path

    /// A program's exit code and outputs.
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The `vigil` executable that `swift build` put beside the test bundle.
    static var vigil: String {
        let bundle = Bundle.main.bundleURL
        return [bundle, bundle.deletingLastPathComponent()].map { $0.appendingPathComponent("vigil").path }
            .first { FileManager.default.isExecutableFile(atPath: $0) } ?? bundle.appendingPathComponent("vigil").path
    }

    /// A fresh directory under the system's temporary directory, readable by everyone.
    static func tempDir(_ label: String) throws -> URL {
        let url = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("vigil-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        return url
    }

    /// Writes the preset as an OCI layout at `dir/name`; its path.
    static func build(_ preset: String, in dir: URL, name: String = "layout", marker: String? = nil,
                      compression: String? = nil) throws -> String {
        let out = dir.appendingPathComponent(name).path
        let r = try run("/usr/bin/env", ["python3", script, "--preset", preset, out] + (marker.map { ["--marker", $0] } ?? [])
                        + (compression.map { ["--compression", $0] } ?? []))
        guard r.status == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: r.stderr]) }
        return out
    }

    /// Runs a program to its end with this process's environment and `environment` on top.
    static func run(_ exe: String, _ args: [String], environment: [String: String] = [:]) throws -> Output {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = args
        p.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let files = try tempDir("out")
        defer { try? FileManager.default.removeItem(at: files) }
        let out = files.appendingPathComponent("out"), err = files.appendingPathComponent("err")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        p.standardOutput = try FileHandle(forWritingTo: out)
        p.standardError = try FileHandle(forWritingTo: err)
        try p.run()
        p.waitUntilExit()
        return Output(status: p.terminationStatus, stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
                      stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }

    /// `vigil ARGS` with $TMPDIR set to `tmp` (and with the store in it).
    static func vigil(_ args: [String], tmp: URL, environment: [String: String] = [:]) throws -> Output {
        try run(vigil, args, environment: ["TMPDIR": tmp.path, "VIGIL_DB": tmp.appendingPathComponent("../vigil.db").standardized.path]
                    .merging(environment) { _, new in new })
    }

    /// What a directory holds, every level, as sorted relative paths.
    static func contents(of dir: URL) -> [String] {
        (FileManager.default.enumerator(atPath: dir.path)?.allObjects as? [String] ?? []).sorted()
    }
}
