import Foundation

/// Which cryptography a Go binary was built to use, as a rule's `crypto:` names it.
public enum GoCryptoBackend: String, Sendable, CaseIterable {
    /// Go+BoringCrypto (`GOEXPERIMENT=boringcrypto`, a `bN` release, or its code marker).
    case boringcrypto
    /// The Go Cryptographic Module (Go 1.24+) in FIPS 140 mode by default
    /// (`GOFIPS140` set, or `fips140=on|only` in DefaultGODEBUG).
    case goFIPS140 = "go-fips140"
    /// A toolchain fork that calls the system's OpenSSL (Red Hat's golang-fips, Microsoft Go).
    case openssl
    /// Go's own crypto, not in FIPS mode by default.
    case standard

    /// The words used in evidence.
    public var label: String {
        switch self {
        case .boringcrypto: return "BoringCrypto"
        case .goFIPS140: return "Go FIPS 140 module"
        case .openssl: return "OpenSSL (toolchain fork)"
        case .standard: return "standard Go crypto"
        }
    }
}

/// A Go binary's build information and what it says about its cryptography.
public struct GoBinaryInfo: Sendable {
    public var blob: GoBuildInfoBlob
    public var modules: GoModuleInfo
    /// The parsed release, nil for development builds.
    public var version: GoVersion?
    public var markers: Set<GoCodeMarker>
    public var crypto: GoCryptoBackend
    /// What decided `crypto` (`GOEXPERIMENT=boringcrypto`, `no BoringCrypto, GOFIPS140 unset`).
    public var cryptoReason: String
    /// DefaultGODEBUG's settings, in order.
    public var defaultGODEBUG: [(key: String, value: String)]
    /// The FIPS 140 mode the binary starts in unless `GODEBUG` overrides it: DefaultGODEBUG's
    /// `fips140`, else "on" when `GOFIPS140` selects a module; nil when off or before Go 1.24.
    public var fips140Mode: String?

    /// The experiments enabled at build time: GOEXPERIMENT's and the runtime version's `X:` list.
    public var experiments: [String] {
        let fromSetting = (modules.setting("GOEXPERIMENT") ?? "").split(separator: ",").map(String.init)
        return fromSetting + GoVersion.experiments(inRuntimeVersion: blob.version).filter { !fromSetting.contains($0) }
    }

    /// Classifies a binary from its build information and code markers.
    public init(blob: GoBuildInfoBlob, markers: Set<GoCodeMarker>) {
        self.blob = blob
        self.markers = markers
        modules = GoModuleInfo(blob.moduleInfo)
        version = GoVersion(blob.version)
        defaultGODEBUG = (modules.setting("DefaultGODEBUG") ?? "").split(separator: ",").compactMap { item in
            let kv = item.split(separator: "=", maxSplits: 1).map(String.init)
            return kv.count == 2 ? (kv[0], kv[1]) : nil
        }
        crypto = .standard
        cryptoReason = ""
        fips140Mode = Self.fipsMode(version: version, godebug: defaultGODEBUG, gofips: modules.setting("GOFIPS140"))
        (crypto, cryptoReason) = classify()
    }

    /// Go 1.24 and later honour `fips140`; a development build is given the benefit.
    static func fipsMode(version: GoVersion?, godebug: [(key: String, value: String)], gofips: String?) -> String? {
        if let v = version, v.numbers.lexicographicallyPrecedes([1, 24, 0]) { return nil }
        if let mode = godebug.last(where: { $0.key == "fips140" })?.value { return mode == "off" ? nil : mode }
        if let g = gofips, !g.isEmpty, g != "off" { return "on" }
        return nil
    }

    private func classify() -> (GoCryptoBackend, String) {
        let x = experiments
        if x.contains("boringcrypto") { return (.boringcrypto, "GOEXPERIMENT=boringcrypto") }
        if let r = version?.boringRevision { return (.boringcrypto, "Go+BoringCrypto release \(version!.text), b\(r)") }
        if markers.contains(.boringCrypto) { return (.boringcrypto, "BoringCrypto code marker") }
        if let fork = x.first(where: { ["opensslcrypto", "systemcrypto", "strictfipsruntime"].contains($0) }) {
            return (.openssl, "GOEXPERIMENT=\(fork)")
        }
        if blob.version.contains("Red Hat"), modules.setting("CGO_ENABLED") == "1",
           !(modules.setting("-tags") ?? "").split(separator: ",").contains("no_openssl") {
            return (.openssl, "Red Hat Go toolset with cgo, OpenSSL in FIPS mode at run time")
        }
        if let mode = fips140Mode {
            let gofips = modules.setting("GOFIPS140").map { "GOFIPS140=\($0)" }
            return (.goFIPS140, [gofips, "fips140=\(mode)"].compactMap { $0 }.joined(separator: ", "))
        }
        var why = "no BoringCrypto, GOFIPS140 unset"
        if let g = modules.setting("GOFIPS140"), g != "off" { why = "GOFIPS140=\(g) ignored before go1.24" }
        return (.standard, why)
    }

    /// One evidence line: `go1.22.5, standard Go crypto (no BoringCrypto, GOFIPS140 unset)`.
    public var summary: String {
        var s = "\(blob.version), \(crypto.label) (\(cryptoReason))"
        if markers.contains(.fipsOnly) { s += ", crypto/tls/fipsonly linked" }
        return s
    }
}
