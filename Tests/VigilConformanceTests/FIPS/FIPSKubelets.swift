import Foundation
import XCTest

/// Two small Go programs standing in for the kubelet, built once per test run by Debian's Go
/// 1.19 (golang-1.19-go): one with `GOEXPERIMENT=boringcrypto`, one standard
/// (`CGO_ENABLED=0`). Offline (`GOPROXY=off`, no dependencies); the build cache lives in the
/// temporary directory and is kept between runs (a cold BoringCrypto build takes about a minute).
struct FIPSKubelets {
    let boring: URL
    let standard: URL

    /// Builds both into `work`; a skip without Go, a failure in CI (`CI=true`), which installs it.
    static func build(in work: URL) throws -> FIPSKubelets {
        let go = "/usr/lib/go-1.19/bin/go"
        guard FileManager.default.isExecutableFile(atPath: go) else {
            let message = "no Go toolchain at \(go): apt-get install golang-1.19-go"
            if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail(message) }
            throw XCTSkip(message)
        }
        let src = work.appendingPathComponent("kubelet-src")
        try FileManager.default.createDirectory(at: src, withIntermediateDirectories: true)
        try "module example.com/kubelet\n\ngo 1.19\n".write(to: src.appendingPathComponent("go.mod"), atomically: true, encoding: .utf8)
        try """
            package main

            import (
            \t"crypto/sha256"
            \t"fmt"
            )

            func main() { fmt.Printf("%x\\n", sha256.Sum256([]byte("kubelet"))) }
            """.write(to: src.appendingPathComponent("main.go"), atomically: true, encoding: .utf8)
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-fips-gocache")
        let kubelets = FIPSKubelets(boring: work.appendingPathComponent("kubelet-boring"), standard: work.appendingPathComponent("kubelet-standard"))
        for (out, env) in [(kubelets.boring, ["GOEXPERIMENT": "boringcrypto", "CGO_ENABLED": "1"]), (kubelets.standard, ["CGO_ENABLED": "0"])] {
            let r = try Shell.run("/bin/sh", ["-c", "cd '\(src.path)' && exec '\(go)' build -trimpath -o '\(out.path)' ."],
                                  environment: env.merging(["GOCACHE": cache.path, "GOPATH": work.appendingPathComponent("gopath").path,
                                                            "GOPROXY": "off", "GOFLAGS": "-mod=mod", "GOTOOLCHAIN": "local"]) { $1 })
            guard r.status == 0 else { throw NodeSpecError(description: "go build (\(env)) failed: \(r.stderr)") }
        }
        return kubelets
    }

    /// Copies one of them to ROOT/usr/bin/kubelet.
    func install(boring useBoring: Bool, in root: URL) throws {
        let dest = root.appendingPathComponent("usr/bin/kubelet")
        try? FileManager.default.removeItem(at: dest)
        try FileManager.default.createDirectory(at: dest.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: useBoring ? boring : standard, to: dest)
    }
}
