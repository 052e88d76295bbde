import Foundation
import XCTest

/// Every fixture root of `FIPSRoot`, built once for `FIPSRootVerdictTests` and scanned once
/// with `vigil scan rules/fips --profile all --root ROOT`, plus the kubelets and the work
/// directory the tests write their tailoring and oscap results to.
struct FIPSFixtureSet {
    let work: URL
    let roots: [FIPSRoot: URL]
    let verdicts: [FIPSRoot: [String: FIPSVerdict]]

    nonisolated(unsafe) static var cached: FIPSFixtureSet?

    /// The set, built on first use (a skip without Go, a failure in CI).
    static func shared() throws -> FIPSFixtureSet {
        if let cached { return cached }
        let work = try Shell.tempDir()
        let kubelets = try FIPSKubelets.build(in: work)
        var roots: [FIPSRoot: URL] = [:], verdicts: [FIPSRoot: [String: FIPSVerdict]] = [:]
        for kind in FIPSRoot.allCases {
            let root = try kind.build(under: work, kubelets: kubelets)
            roots[kind] = root
            verdicts[kind] = try FIPSScan.run(root: root, work: work, name: kind.rawValue)
        }
        let set = FIPSFixtureSet(work: work, roots: roots, verdicts: verdicts)
        cached = set
        return set
    }

    /// Removes the roots (called once the class's tests are done).
    static func removeShared() {
        if let cached { try? FileManager.default.removeItem(at: cached.work) }
        cached = nil
    }
}
