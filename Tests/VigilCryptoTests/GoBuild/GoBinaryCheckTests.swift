import Foundation
import XCTest
import VigilCore
import VigilTarget
@testable import VigilCrypto

/// The `go_binary` kind on offline roots holding hand-built and real Go binaries.
final class GoBinaryCheckTests: XCTestCase {
    private var root: URL!

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-gobin-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: root) }

    private func place(_ path: String, _ bytes: [UInt8]) throws {
        let url = root.appendingPathComponent(String(path.dropFirst()))
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
    }

    private func binary(_ version: String, _ settings: [String]) -> [UInt8] {
        var f = ELFFixture()
        f.data = GoBlob.inline(version: version, modinfo: GoBlob.modinfo(settings: settings)) + [UInt8](repeating: 0, count: 64)
        return f.bytes()
    }

    private func check(_ params: [(String, [String])]) throws -> NativeVerdict {
        let kind = try NativeCheckKinds.make(NativeCheckSpec(kind: "go_binary", parameters: params.map { (name: $0.0, values: $0.1) }))
        return kind.evaluate(NativeContext(target: try RootTarget(root.path)))
    }

    func testKubernetesBinariesAgainstAllowedCrypto() throws {
        try place("/usr/bin/kubelet", binary("go1.22.5", ["CGO_ENABLED=1"]))
        try place("/usr/bin/containerd", binary("go1.22.5 X:boringcrypto", ["GOEXPERIMENT=boringcrypto"]))
        let paths = ("paths", ["/usr/bin/kubelet", "/usr/bin/containerd", "/usr/local/bin/kube-apiserver"])
        let v = try check([paths, ("crypto", ["boringcrypto", "go-fips140", "openssl"])])
        XCTAssertEqual(v.result, .fail)
        XCTAssertEqual(v.evidence, ["/usr/bin/kubelet: go1.22.5, standard Go crypto (no BoringCrypto, GOFIPS140 unset); "
                                    + "crypto standard is not one of boringcrypto, go-fips140, openssl"])
        try place("/usr/bin/kubelet", binary("go1.24.2", ["DefaultGODEBUG=fips140=on", "GOFIPS140=v1.0.0"]))
        let pass = try check([paths, ("crypto", ["boringcrypto", "go-fips140"])])
        XCTAssertEqual(pass.result, .pass)
        XCTAssertEqual(pass.evidence, ["/usr/bin/kubelet: go1.24.2, Go FIPS 140 module (GOFIPS140=v1.0.0, fips140=on)",
                                       "/usr/bin/containerd: go1.22.5 X:boringcrypto, BoringCrypto (GOEXPERIMENT=boringcrypto)"])
    }

    func testMissingBinaries() throws {
        let paths = ("paths", ["/usr/bin/kubelet", "/var/lib/rancher/rke2/data/*/bin/kubelet"])
        let crypto = ("crypto", ["boringcrypto"])
        XCTAssertEqual(try check([paths, crypto]).result, .pass)
        XCTAssertEqual(try check([paths, crypto]).evidence, ["no binary present among /usr/bin/kubelet, /var/lib/rancher/rke2/data/*/bin/kubelet"])
        XCTAssertEqual(try check([paths, crypto, ("missing", ["notapplicable"])]).result, .notapplicable)
        let failing = try check([paths, crypto, ("missing", ["fail"])])
        XCTAssertEqual(failing.result, .fail)
        XCTAssertEqual(failing.evidence, ["/usr/bin/kubelet: absent", "/var/lib/rancher/rke2/data/*/bin/kubelet: absent"])
        // An absolute link resolves inside the root, never to the scanning host's Go toolchain.
        try FileManager.default.createDirectory(at: root.appendingPathComponent("usr/bin"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("usr/bin/kubelet").path,
                                                   withDestinationPath: "/usr/lib/go-1.19/bin/go")
        XCTAssertEqual(try check([paths, crypto, ("missing", ["fail"])]).evidence.first, "/usr/bin/kubelet: absent")
    }

    func testWildcardPathsExpandInsideTheRoot() throws {
        try place("/var/lib/rancher/rke2/data/v1.30.1-rke2r1-abc/bin/kubelet", binary("go1.22.2 X:boringcrypto", []))
        try place("/var/lib/rancher/rke2/data/v1.31.0-rke2r1-def/bin/kubelet", binary("go1.23.1", []))
        try place("/var/lib/rancher/rke2/data/.hidden/bin/kubelet", binary("go1.16.1", []))
        let v = try check([("paths", ["/var/lib/rancher/rke2/data/*/bin/kubelet"]), ("crypto", ["boringcrypto"])])
        XCTAssertEqual(v.result, .fail)
        XCTAssertEqual(v.evidence.count, 1)
        XCTAssertTrue(v.evidence[0].hasPrefix("/var/lib/rancher/rke2/data/v1.31.0-rke2r1-def/bin/kubelet: go1.23.1"), v.evidence[0])
        XCTAssertEqual(GoBinaryPaths.expand("/var/lib/rancher/rke2/data/*/bin/kubelet", try RootTarget(root.path)).paths.count, 2)
    }

    func testVersionGODEBUGAndFIPSMode() throws {
        try place("/usr/bin/etcd", binary("go1.24.1", ["DefaultGODEBUG=fips140=on,x509sha1=1,tlsrsakex=1"]))
        let p = ("paths", ["/usr/bin/etcd"])
        XCTAssertEqual(try check([p, ("min_go_version", ["1.24.1"])]).result, .pass)
        let old = try check([p, ("min_go_version", ["go1.24.2"])])
        XCTAssertEqual(old.result, .fail)
        XCTAssertTrue(old.evidence[0].hasSuffix("; go1.24.1 is older than go1.24.2"), old.evidence[0])
        let sha1 = try check([p, ("godebug_forbidden", ["x509sha1=1", "tlsrsakex", "tls10server=1"])])
        XCTAssertEqual(sha1.result, .fail)
        XCTAssertTrue(sha1.evidence[0].hasSuffix("; DefaultGODEBUG sets x509sha1=1 (forbidden); DefaultGODEBUG sets tlsrsakex=1 (forbidden)"),
                      sha1.evidence[0])
        XCTAssertEqual(try check([p, ("godebug_forbidden", ["x509sha1=0"])]).result, .pass)
        XCTAssertEqual(try check([p, ("fips140", ["on"])]).result, .pass)
        let only = try check([p, ("fips140", ["only"])])
        XCTAssertEqual(only.result, .fail)
        XCTAssertTrue(only.evidence[0].hasSuffix("; fips140 mode is on, only required"), only.evidence[0])
        try place("/usr/bin/apiserver", binary("go1.24.3", ["GOFIPS140=v1.0.0-c2097c7c"]))
        try place("/usr/bin/latest", binary("go1.24.3", ["GOFIPS140=latest"]))
        let module = ("fips140_module", ["v1.0.0"])
        XCTAssertEqual(try check([("paths", ["/usr/bin/apiserver"]), module, ("fips140", ["on"])]).result, .pass)
        let latest = try check([("paths", ["/usr/bin/latest"]), module])
        XCTAssertEqual(latest.result, .fail)
        XCTAssertTrue(latest.evidence[0].hasSuffix("; GOFIPS140 is latest, not one of v1.0.0"), latest.evidence[0])
        XCTAssertTrue(try check([p, module]).evidence[0].hasSuffix("; GOFIPS140 is off, not one of v1.0.0"))
        try place("/usr/bin/devel", binary("devel go1.25-abcdef Mon Jan 6", []))
        XCTAssertEqual(try check([("paths", ["/usr/bin/devel"]), ("min_go_version", ["1.22"])]).result, .fail)
    }

    func testNonGoFilesAndBrokenFiles() throws {
        try place("/usr/local/bin/kubelet", Array("#!/bin/sh\nexec /opt/kubelet \"$@\"\n".utf8))
        let script = try check([("paths", ["/usr/local/bin/kubelet"]), ("crypto", ["boringcrypto"])])
        XCTAssertEqual(script.result, .fail)
        XCTAssertEqual(script.evidence, ["/usr/local/bin/kubelet: not an ELF file"])
        XCTAssertEqual(try check([("paths", ["/usr/local/bin/kubelet"])]).result, .pass, "no requirement: reported only")

        try place("/usr/bin/kubelet", Array(binary("go1.22.5", []).prefix(100)))
        let broken = try check([("paths", ["/usr/bin/kubelet"]), ("crypto", ["boringcrypto"])])
        XCTAssertEqual(broken.result, .error)
        XCTAssertTrue(broken.message?.hasPrefix("/usr/bin/kubelet: ") == true, broken.message ?? "")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("usr/bin/dir"), withIntermediateDirectories: true)
        XCTAssertEqual(try check([("paths", ["/usr/bin/dir"])]).message, "/usr/bin/dir: not a regular file")
    }

    func testEvidenceIsCapped() throws {
        for i in 0..<8 { try place("/opt/bin/tool\(i)", binary("go1.21.0", [])) }
        let v = try check([("paths", ["/opt/bin/*"]), ("crypto", ["boringcrypto"])])
        XCTAssertEqual(v.evidence.count, 6)
        XCTAssertEqual(v.evidence.last, "and 3 more")
    }

    func testParametersAreChecked() {
        let bad: [[(String, [String])]] = [
            [], [("paths", ["relative/kubelet"])], [("paths", ["/x"]), ("crypto", ["fips"])],
            [("paths", ["/x"]), ("min_go_version", ["latest"])], [("paths", ["/x"]), ("fips140", ["yes"])],
            [("paths", ["/x"]), ("missing", ["skip"])], [("paths", ["/x"]), ("godebug_forbidden", ["=1"])],
            [("paths", ["/x"]), ("godebug_forbidden", ["a=1,b=2"])], [("paths", ["/x"]), ("version", ["1"])],
        ]
        for params in bad {
            XCTAssertThrowsError(try check(params), "\(params)") { XCTAssertTrue($0 is NativeCheckError, "\($0)") }
        }
    }

    /// A real BoringCrypto build and a real standard build, through the check.
    func testRealGoBinaries() throws {
        let fx = try GoProgramFixtures.shared()
        try place("/usr/bin/kubelet", [UInt8](try Data(contentsOf: fx.boringStripped)))
        try place("/usr/bin/etcd", [UInt8](try Data(contentsOf: fx.standard)))
        let v = try check([("paths", ["/usr/bin/kubelet", "/usr/bin/etcd"]), ("crypto", ["boringcrypto"]), ("min_go_version", ["1.19"])])
        XCTAssertEqual(v.result, .fail)
        XCTAssertEqual(v.evidence, ["/usr/bin/etcd: go1.19.8, standard Go crypto (no BoringCrypto, GOFIPS140 unset); "
                                    + "crypto standard is not one of boringcrypto"])
        let kubelet = try check([("paths", ["/usr/bin/kubelet"]), ("crypto", ["boringcrypto"])])
        XCTAssertEqual(kubelet.evidence, ["/usr/bin/kubelet: go1.19.8 X:boringcrypto, BoringCrypto (GOEXPERIMENT=boringcrypto), crypto/tls/fipsonly linked"])
    }
}
