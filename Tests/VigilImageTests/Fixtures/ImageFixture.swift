import Foundation

/// Test images written by `build-image.py` (beside this file) into temporary directories:
/// OCI layouts from the named presets (`build-image.py --list`), and the other forms of the
/// same image that skopeo and tar make of it. The conformance and command tests reach the
/// same script by its path in the source tree.
enum ImageFixture {
    /// The builder script.
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("build-image.py").path

    /// The outcome of a program run.
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Writes the preset `name` as an OCI layout at `dir/layout` (tag `tag`); its path.
    @discardableResult
    static func build(_ name: String, in dir: URL, layout: String = "layout", tag: String = "t",
                      compression: String? = nil, marker: String? = nil) throws -> String {
        let out = dir.appendingPathComponent(layout).path
        var args = [script, "--preset", name, out, "--tag", tag]
        if let compression { args += ["--compression", compression] }
        if let marker { args += ["--marker", marker] }
        let r = try run("/usr/bin/env", ["python3"] + args)
        guard r.status == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "build-image.py \(name): \(r.stderr)"]) }
        return out
    }

    /// A fresh temporary directory.
    static func tempDir() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-image-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The path of a program on $PATH, or nil.
    static func which(_ name: String) -> String? {
        (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
            .map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs a program to its end, collecting both outputs.
    static func run(_ exe: String, _ args: [String], environment: [String: String]? = nil) throws -> Output {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = args
        if let environment { p.environment = environment }
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out"), err = dir.appendingPathComponent("err")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        p.standardOutput = try FileHandle(forWritingTo: out)
        p.standardError = try FileHandle(forWritingTo: err)
        try p.run()
        p.waitUntilExit()
        return Output(status: p.terminationStatus, stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
                      stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }
}
