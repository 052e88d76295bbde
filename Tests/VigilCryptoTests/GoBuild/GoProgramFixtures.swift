import Foundation
import XCTest

/// The Go programs the tests build once per run: standard crypto, BoringCrypto with
/// `crypto/tls/fipsonly`, both stripped with `-ldflags=-s -w`, and a 32-bit build.
struct GoProgramFixtures {
    let toolchain: GoToolchain
    let standard: URL
    let boring: URL
    let standardStripped: URL
    let boringStripped: URL
    let i386: URL

    static let main = """
    package main

    import (
    \t"crypto/sha256"
    \t"fmt"
    )

    func main() { fmt.Printf("%x\\n", sha256.Sum256([]byte("vigil"))) }
    """
    /// Compiled only with GOEXPERIMENT=boringcrypto (fipsonly requires it).
    static let fipsOnly = "//go:build boringcrypto\n\npackage main\n\nimport _ \"crypto/tls/fipsonly\"\n"

    private static let lock = NSLock()
    nonisolated(unsafe) private static var built: Result<GoProgramFixtures, Error>?

    /// The fixtures, built on first use (a skip, or a failure in CI, without Go).
    static func shared() throws -> GoProgramFixtures {
        lock.lock()
        defer { lock.unlock() }
        if let built { return try built.get() }
        let go = try GoToolchain.require()
        let result = Result { try make(go) }
        built = result
        return try result.get()
    }

    private static func make(_ go: GoToolchain) throws -> GoProgramFixtures {
        let files = ["main.go": main, "fips.go": fipsOnly]
        let boringEnv = ["GOEXPERIMENT": "boringcrypto", "CGO_ENABLED": "1"]
        let strip = ["-ldflags=-s -w"]
        return GoProgramFixtures(
            toolchain: go,
            standard: try go.build(files, output: "standard"),
            boring: try go.build(files, output: "boring", env: boringEnv),
            standardStripped: try go.build(files, output: "standard-stripped", flags: strip),
            boringStripped: try go.build(files, output: "boring-stripped", env: boringEnv, flags: strip),
            i386: try go.build(files, output: "i386", env: ["GOARCH": "386", "CGO_ENABLED": "0"]))
    }
}
