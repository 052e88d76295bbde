// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Vigil",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "vigil", targets: ["vigil"]),
        .executable(name: "vigil-crypto-probe", targets: ["vigil-crypto-probe"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "CPCRE2", pkgConfig: "libpcre2-8", providers: [.apt(["libpcre2-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CBZip2", providers: [.apt(["libbz2-dev"])]),
        .systemLibrary(name: "CSQLite3", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(name: "CVigilSystem"),
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .target(name: "VigilCore"),
        .target(name: "VigilTarget", dependencies: ["CVigilSystem"]),
        .target(name: "VigilXML", dependencies: ["CLibXML2", "CZlib", "CBZip2"]),
        .target(name: "VigilCrypto", dependencies: ["VigilCore", "VigilTarget", "COpenSSL", "CVigilSystem"]),
        .target(name: "VigilImage", dependencies: ["VigilCore", "VigilTarget", "COpenSSL", "CZlib", "CZstd", "CVigilSystem"]),
        .target(name: "VigilRules", dependencies: ["VigilXML", "VigilCrypto", "Yams"]),
        .target(name: "VigilOVAL", dependencies: ["VigilCore", "CPCRE2"]),
        .target(name: "VigilContent", dependencies: ["VigilXML", "VigilOVAL", "VigilRules", "VigilCrypto"]),
        .target(name: "VigilProbes", dependencies: ["VigilCore", "VigilOVAL", "VigilTarget", "VigilXML", "VigilCrypto", "COpenSSL", "CSQLite3", "Yams"]),
        .target(name: "VigilEngine", dependencies: ["VigilCore", "VigilContent", "VigilOVAL", "VigilRules", "VigilProbes", "VigilCrypto", "VigilTarget", "VigilXML", "VigilStore", "VigilReports", "VigilImage"]),
        .target(name: "VigilStore", dependencies: ["VigilCore", "CLibPQ", .product(name: "GRDB", package: "GRDB.swift")]),
        .executableTarget(name: "EmbedTemplates"),
        .plugin(name: "EmbedReportTemplates", capability: .buildTool(), dependencies: ["EmbedTemplates"]),
        .target(name: "VigilReports", dependencies: [
            "VigilCore", "VigilStore", "VigilContent", "VigilXML", "VigilRules", "VigilCrypto", "CZlib", "Yams",
            .product(name: "Mustache", package: "swift-mustache"),
        ], plugins: ["EmbedReportTemplates"]),
        .target(name: "VigilWatch", dependencies: [
            "VigilCore", "VigilEngine", "VigilStore", "VigilReports",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
        .executableTarget(name: "vigil", dependencies: [
            "VigilCore",
            "CVigilSystem",
            "VigilEngine",
            "VigilStore",
            "VigilReports",
            "VigilWatch",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // Run by the `openssl_runtime` check in a separate, short-lived process: COpenSSL only.
        .executableTarget(name: "vigil-crypto-probe", dependencies: ["COpenSSL"]),
        .executableTarget(name: "vigil-store-bench", dependencies: ["VigilCore", "VigilStore"], path: "benchmarks/store"),
        .executableTarget(name: "vigil-postgres-bench", dependencies: ["VigilCore", "VigilStore"], path: "benchmarks/postgres"),
        .executableTarget(name: "vigil-x509-bench", dependencies: ["VigilCrypto", "VigilTarget"], path: "benchmarks/x509"),
        .executableTarget(name: "vigil-report-bench", dependencies: ["VigilCore", "VigilReports", "VigilStore"], path: "benchmarks/report"),
        .testTarget(name: "VigilOVALTests", dependencies: ["VigilOVAL", "VigilContent", "VigilXML", "VigilProbes"]),
        .testTarget(name: "VigilProbesTests", dependencies: ["VigilProbes", "VigilTarget", "VigilOVAL", "VigilContent", "VigilXML", "CSQLite3", "CVigilSystem", "COpenSSL"]),
        .testTarget(name: "VigilContentTests", dependencies: ["VigilContent", "VigilXML", "VigilCrypto"]),
        .testTarget(name: "VigilCryptoTests", dependencies: ["VigilCrypto", "VigilTarget", "VigilCore", "COpenSSL"]),
        .testTarget(name: "VigilImageTests", dependencies: ["VigilImage", "VigilTarget", "VigilCore", "COpenSSL", "CZlib", "CZstd"],
                    exclude: ["Fixtures/build-image.py", "Fixtures/imagefixture"]),
        .testTarget(name: "VigilCoreTests", dependencies: ["VigilCore"]),
        .testTarget(name: "VigilEngineTests", dependencies: ["VigilEngine", "VigilReports", "VigilTarget", "VigilProbes", "VigilOVAL", "VigilCrypto"]),
        .testTarget(name: "VigilRulesTests", dependencies: ["VigilRules", "VigilContent", "VigilCrypto"]),
        .testTarget(name: "VigilReportsTests", dependencies: ["VigilCore", "VigilReports", "VigilStore", "VigilXML", "VigilContent"]),
        .testTarget(name: "VigilStoreTests", dependencies: ["VigilCore", "VigilStore", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "VigilPostgresTests", dependencies: ["vigil", "VigilCore", "VigilStore", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "VigilConformanceTests", dependencies: ["VigilEngine"]),
        .testTarget(name: "VigilCommandTests", dependencies: ["vigil"]),
        .testTarget(name: "VigilWatchTests", dependencies: [
            "VigilWatch", "VigilEngine", "VigilStore", "VigilCore",
            .product(name: "Logging", package: "swift-log"),
        ]),
    ]
)

// Fuzz targets (Tests/Fuzz, run by Tests/Fuzz/run.sh). Built with `-sanitize=fuzzer
// -D VIGIL_LIBFUZZER` each is a libFuzzer binary; in a plain build each is a small tool that
// replays the inputs given as files, so they keep compiling with the rest of the package.
package.targets.append(.target(name: "FuzzSupport", path: "Tests/Fuzz/Support"))
for (name, dependencies) in [
    ("fuzz-content", ["VigilContent", "VigilXML"]),
    ("fuzz-rules", ["VigilContent"]),
    ("fuzz-waivers", ["VigilReports"]),
    ("fuzz-oval-compare", ["VigilOVAL"]),
    ("fuzz-oval-regex", ["VigilOVAL"]),
    ("fuzz-image-layer", ["VigilImage", "VigilTarget", "VigilCore", "CZlib"]),
] as [(String, [Target.Dependency])] {
    package.targets.append(.executableTarget(name: name, dependencies: dependencies + ["FuzzSupport"], path: "Tests/Fuzz/\(name)"))
}
