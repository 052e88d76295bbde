import Foundation
import XCTest

/// deploy/container/build-image.sh, run on the built vigil: the image holds exactly the
/// binaries, the libraries ldd names, the rules and the chosen content; Vigil scans its own
/// image and finds the same files; the binary runs on the image's own loader and libraries;
/// a rebuild is byte for byte the same.
final class DeployImageTests: XCTestCase {
    static let epoch = 1_700_000_000
    var work: URL!
    var guides: URL!

    override func setUpWithError() throws {
        try Deploy.require("umoci", because: "it writes the OCI image")
        work = try ImageCommand.tempDir("deploy-image")
        addTeardownBlock { [work] in try? FileManager.default.removeItem(at: work!) }
        // Content to choose from: only ssg-a-ds.xml is asked for.
        guides = work.appendingPathComponent("guides")
        try FileManager.default.createDirectory(at: guides, withIntermediateDirectories: true)
        for name in ["ssg-a-ds.xml", "ssg-b-ds.xml", "ssg-a-xccdf.xml"] {
            try Data("<data-stream name=\"\(name)\"/>".utf8).write(to: guides.appendingPathComponent(name))
        }
    }

    /// Builds the image of the test build's vigil into `name`; the layout's path.
    func build(_ name: String, archive: Bool = false) throws -> String {
        let layout = work.appendingPathComponent(name).path
        let r = try ImageCommand.run("/bin/bash", [Deploy.buildImage, "--tag", "test", "--guides", "ssg-a-ds.xml",
                                                   "--guide-dir", guides.path] + (archive ? ["--archive", layout + ".tar"] : [])
                                     + [ImageCommand.vigil, layout], environment: ["SOURCE_DATE_EPOCH": String(Self.epoch)])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "\(layout):test\n")
        return layout
    }

    func json(_ path: String) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
    }

    /// The image's manifest and config.
    func manifestAndConfig(_ layout: String) throws -> (manifest: [String: Any], config: [String: Any]) {
        func blob(_ digest: Any?) throws -> String { layout + "/blobs/sha256/" + (try XCTUnwrap(digest as? String)).dropFirst(7) }
        let index = try json(layout + "/index.json")
        let manifest = try json(try blob(Deploy.value(index, "manifests", 0, "digest")))
        return (manifest, try json(try blob(Deploy.value(manifest, "config", "digest"))))
    }

    /// What the image should hold, other than directories: path → is a symbolic link.
    func intendedFiles() throws -> Set<String> {
        var files: Set<String> = ["usr/bin/vigil", "etc/passwd", "etc/group", "usr/share/xml/scap/ssg/content/ssg-a-ds.xml"]
        var executables = [ImageCommand.vigil]
        let probe = URL(fileURLWithPath: ImageCommand.vigil).resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("vigil-crypto-probe").path
        if FileManager.default.isExecutableFile(atPath: probe) { executables.append(probe); files.insert("usr/bin/vigil-crypto-probe") }
        for exe in executables {
            let ldd = try ImageCommand.run("/usr/bin/env", ["ldd", exe])
            XCTAssertEqual(ldd.status, 0, ldd.stderr)
            for line in ldd.stdout.split(separator: "\n") {
                let words = line.split(separator: " ").map(String.init).map { $0.trimmingCharacters(in: .whitespaces) }
                if words.count > 2, words[1] == "=>", words[2].hasPrefix("/") { files.insert(String(words[2].dropFirst())) }
                if let first = words.first, first.hasPrefix("/") { files.insert(String(first.dropFirst())) }
            }
        }
        XCTAssertTrue(files.contains("lib64/ld-linux-x86-64.so.2") && files.contains { $0.hasSuffix("/libswiftCore.so") }, "\(files)")
        let rules = ImageCommand.sources.appendingPathComponent("rules")
        for path in ImageCommand.contents(of: rules) {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: rules.appendingPathComponent(path).path, isDirectory: &isDir), !isDir.boolValue {
                files.insert("usr/share/vigil/rules/" + path)
            }
        }
        if FileManager.default.fileExists(atPath: "/etc/ssl/certs/ca-certificates.crt") {
            files.formUnion(["etc/ssl/certs/ca-certificates.crt", "usr/lib/ssl/cert.pem"])
        }
        return files
    }

    /// The layer's entries: (path, mode string, owner, date) for each that is not a directory.
    func layerEntries(_ layout: String) throws -> [String: String] {
        let (manifest, _) = try manifestAndConfig(layout)
        let layers = try XCTUnwrap(manifest["layers"] as? [[String: Any]])
        XCTAssertEqual(layers.count, 1, "one layer")
        let digest = try XCTUnwrap(layers[0]["digest"] as? String)
        let listing = try ImageCommand.run("/usr/bin/env", ["tar", "-tzv", "--numeric-owner", "--full-time",
                                                            "-f", layout + "/blobs/sha256/" + digest.dropFirst(7)],
                                         environment: ["TZ": "UTC"])
        XCTAssertEqual(listing.status, 0, listing.stderr)
        var entries: [String: String] = [:]
        for line in listing.stdout.split(separator: "\n") {
            let w = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard w.count >= 6, !w[0].hasPrefix("d") else { continue }
            entries[w[5]] = "\(w[0].prefix(1)) \(w[1]) \(w[3])T\(w[4])"
        }
        return entries
    }

    func testTheImageHoldsOnlyTheBinaryItsLibrariesRulesAndContent() throws {
        let layout = try build("layout")
        let intended = try intendedFiles()
        let entries = try layerEntries(layout)
        XCTAssertEqual(Set(entries.keys), intended,
                       "extra: \(Set(entries.keys).subtracting(intended).sorted()), missing: \(intended.subtracting(entries.keys).sorted())")
        let date = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(Self.epoch)))
            .replacingOccurrences(of: "Z", with: "")
        for (path, attributes) in entries {
            XCTAssertTrue(attributes.hasSuffix(" 0/0 \(date)"), "\(path): \(attributes), owned by root, dated SOURCE_DATE_EPOCH")
        }

        let config = try manifestAndConfig(layout).config
        XCTAssertEqual(Deploy.value(config, "config", "Entrypoint") as? [String], ["/usr/bin/vigil"])
        XCTAssertEqual(Deploy.value(config, "config", "User") as? String, "0:0")
        let labels = try XCTUnwrap(Deploy.value(config, "config", "Labels") as? [String: String])
        let version = try ImageCommand.run(ImageCommand.vigil, ["--version"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertEqual(labels["org.opencontainers.image.version"], version)
        XCTAssertEqual(labels["org.opencontainers.image.created"], date + "Z")
        XCTAssertEqual(config["created"] as? String, date + "Z")

        // Vigil scans its own image: a rule over every file finds as many as intended.
        let evidence = try everyFileEvidence(layout)
        XCTAssertEqual(evidence.count, intended.count, evidence.text)
    }

    /// Scans the image with one rule that fails on every file: the files it names.
    func everyFileEvidence(_ layout: String) throws -> (count: Int, text: String) {
        let rules = work.appendingPathComponent("every-file")
        try FileManager.default.createDirectory(at: rules, withIntermediateDirectories: true)
        try "id: every-file\ntitle: Every file\nversion: 1.0.0\n".write(to: rules.appendingPathComponent("benchmark.yaml"), atomically: true, encoding: .utf8)
        try """
            id: no_file
            title: No file at all
            severity: info
            description: Fails on every file of the image, naming them.
            rationale: Lists the image.
            references: {other: [test]}
            remediation: None.
            check: {file: {path: /, name_pattern: '.*', recursive: true, exists: false}}

            """.write(to: rules.appendingPathComponent("no_file.yaml"), atomically: true, encoding: .utf8)
        let tmp = try ImageCommand.tempDir("scan")
        defer { try? FileManager.default.removeItem(at: tmp) }
        let r = try ImageCommand.vigil([ "scan", rules.path, "--image", "oci:\(layout):test", "--no-store", "--format", "json"], tmp: tmp)
        XCTAssertEqual(r.status, 2, r.stderr)
        let report = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let text = try XCTUnwrap(Deploy.value(report, "rules", 0, "evidence") as? String)
        // "No file at all: /a, /b, /c and N more"
        let named = text.split(separator: ":", maxSplits: 1).last.map { $0.components(separatedBy: " and ")[0] } ?? ""
        let more = text.range(of: #"and (\d+) more$"#, options: .regularExpression).map { text[$0].split(separator: " ")[1] }
        return (named.split(separator: ",").count + (more.flatMap { Int($0) } ?? 0), text)
    }

    func testTheBinaryRunsOnTheImagesOwnLoaderAndLibrariesAndFindsItsRules() throws {
        let layout = try build("layout")
        let bundle = work.appendingPathComponent("bundle").path
        let rootless = geteuid() == 0 ? [] : ["--rootless"]
        let unpack = try ImageCommand.run("/usr/bin/env", ["umoci", "unpack"] + rootless + ["--image", "\(layout):test", bundle])
        XCTAssertEqual(unpack.status, 0, unpack.stderr)
        let rootfs = bundle + "/rootfs"
        let loader = rootfs + "/lib64/ld-linux-x86-64.so.2"
        let libraryPath = Set(try intendedFiles().filter { $0.contains(".so") && !$0.hasPrefix("lib64/") }
            .map { rootfs + "/" + ($0 as NSString).deletingLastPathComponent }).sorted().joined(separator: ":")
        func run(_ args: [String]) throws -> ImageCommand.Output {
            try ImageCommand.run(loader, ["--inhibit-cache", "--library-path", libraryPath] + args,
                                 environment: ["VIGIL_BASELINE": "", "LD_LIBRARY_PATH": ""])
        }
        // Every library resolves inside the image, none from this machine.
        let list = try run(["--list", rootfs + "/usr/bin/vigil"])
        XCTAssertEqual(list.status, 0, list.stderr)
        for line in list.stdout.split(separator: "\n") where line.contains("=>") {
            XCTAssertTrue(line.contains("=> \(rootfs)/"), String(line))
        }
        let version = try ImageCommand.run(ImageCommand.vigil, ["--version"]).stdout
        XCTAssertEqual(try run([rootfs + "/usr/bin/vigil", "--version"]).stdout, version)

        // A scan by the image's binary of a root without os-release takes the image's own
        // rules/linux-baseline (found beside the binary, /usr/share/vigil/rules).
        let host = work.appendingPathComponent("host")
        try FileManager.default.createDirectory(at: host.appendingPathComponent("etc"), withIntermediateDirectories: true)
        let scan = try run([rootfs + "/usr/bin/vigil", "scan", "--root", host.path, "--no-store", "--format", "json"])
        XCTAssertTrue([0, 2].contains(scan.status), scan.stderr)
        let report = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(scan.stdout.utf8)) as? [String: Any], scan.stderr)
        XCTAssertEqual(Deploy.value(report, "scan", "content") as? String, rootfs + "/usr/share/vigil/rules/linux-baseline")
    }

    func testARebuildIsByteForByteTheSame() throws {
        let first = try build("first", archive: true), second = try build("second", archive: true)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: first + "/index.json")),
                       try Data(contentsOf: URL(fileURLWithPath: second + "/index.json")))
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: first + ".tar")), try Data(contentsOf: URL(fileURLWithPath: second + ".tar")),
                       "the oci-archives are identical")
    }
}
