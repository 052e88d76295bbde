import Foundation
import XCTest

/// Debian's Go toolchain (golang-1.19-go), used to build the fixture programs offline
/// (GOPROXY=off, a module without dependencies, caches in a temporary directory). Tests
/// skip without it on a developer machine and fail in CI (`CI=true`), which installs it.
struct GoToolchain {
    let go: String
    let work: URL

    /// The toolchain, or a skip (a failure in CI) naming what is missing.
    static func require() throws -> GoToolchain {
        let candidates = ["/usr/lib/go-1.19/bin/go", "/usr/lib/go/bin/go", "/usr/bin/go"]
        guard let go = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            let message = "no Go toolchain at \(candidates.joined(separator: ", ")): apt-get install golang-1.19-go"
            if ProcessInfo.processInfo.environment["CI"] == "true" {
                XCTFail(message)
                throw NSError(domain: "GoToolchain", code: 1, userInfo: [NSLocalizedDescriptionKey: message])
            }
            throw XCTSkip(message)
        }
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-go-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        return GoToolchain(go: go, work: work)
    }

    func cleanUp() { try? FileManager.default.removeItem(at: work) }

    /// Writes `files` (name → source) as module example.com/fx and builds it to `output`.
    @discardableResult
    func build(_ files: [String: String], output: String, env: [String: String] = [:], flags: [String] = []) throws -> URL {
        let dir = work.appendingPathComponent("src-\(output)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try "module example.com/fx\n\ngo 1.19\n".write(to: dir.appendingPathComponent("go.mod"), atomically: true, encoding: .utf8)
        for (name, text) in files { try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        let out = work.appendingPathComponent(output)
        _ = try run(["build"] + flags + ["-o", out.path, "."], in: dir, env: env)
        return out
    }

    /// `go version -m FILE`'s lines after the first, and the version on the first line.
    func versionM(_ file: URL) throws -> (version: String, lines: [String]) {
        let text = try run(["version", "-m", file.path], in: work, env: [:])
        var lines = text.split(separator: "\n").map(String.init)
        let first = lines.removeFirst()
        let version = first.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        return (version, lines.map { $0.trimmingCharacters(in: .whitespaces) })
    }

    private func run(_ args: [String], in dir: URL, env: [String: String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: go)
        p.arguments = args
        p.currentDirectoryURL = dir
        var e = ProcessInfo.processInfo.environment
        for k in e.keys where k.hasPrefix("GO") || k == "CGO_ENABLED" { e[k] = nil }
        // One build cache for every run: Go's cache is safe to share and keeps rebuilds fast.
        e["GOCACHE"] = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-go-build-cache").path
        e["GOPATH"] = work.appendingPathComponent("gopath").path
        e["GOPROXY"] = "off"
        e["GOFLAGS"] = "-mod=mod"
        e["HOME"] = work.path
        e.merge(env) { $1 }
        p.environment = e
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard p.terminationStatus == 0 else {
            throw NSError(domain: "GoToolchain", code: Int(p.terminationStatus),
                          userInfo: [NSLocalizedDescriptionKey: "go \(args.joined(separator: " ")): \(text)"])
        }
        return text
    }
}
