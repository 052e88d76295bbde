import Foundation
import XCTest
@testable import VigilImage

/// Writes OCI image layouts by hand for the source tests: blobs named by their sha256,
/// index.json, oci-layout; layers are tars of small file trees made with `tar`.
final class LayoutBuilder {
    let path: String

    /// A fresh layout directory `name` under `base`.
    init(_ base: String, name: String = "layout") throws {
        path = base + "/" + name
        try FileManager.default.createDirectory(atPath: path + "/blobs/sha256", withIntermediateDirectories: true)
        try Data(#"{"imageLayoutVersion":"1.0.0"}"#.utf8).write(to: URL(fileURLWithPath: path + "/oci-layout"))
    }

    static func json(_ object: Any) -> [UInt8] {
        Array(try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
    }

    /// Stores `bytes` as a blob; returns its descriptor (with `extra` fields merged in).
    @discardableResult
    func blob(_ bytes: [UInt8], mediaType: String, extra: [String: Any] = [:]) throws -> [String: Any] {
        let digest = BlobDigest.sha256(bytes)
        try Data(bytes).write(to: URL(fileURLWithPath: path + "/blobs/sha256/" + digest.dropFirst(7)))
        return ["mediaType": mediaType, "digest": digest, "size": bytes.count].merging(extra) { $1 }
    }

    /// An image: one layer per file map (gzip-compressed unless told), its config for
    /// `platform`, its manifest. Returns the manifest's descriptor (not yet in index.json).
    func image(layers: [[String: String]], platform: String = "linux/amd64", gzip: Bool = true,
               manifestType: String = ImageMediaType.ociManifest, layerType: String? = nil,
               extraDiffIDs: Int = 0, descriptorExtra: [String: Any] = [:]) throws -> [String: Any] {
        var layerDescriptors: [[String: Any]] = []
        var diffIDs: [String] = []
        for files in layers {
            let tar = try LayoutBuilder.tar(files)
            diffIDs.append(BlobDigest.sha256(tar))
            let stored = gzip ? try LayoutBuilder.run(["gzip", "-n", "-c"], input: tar) : tar
            let type = layerType ?? (gzip ? "application/vnd.oci.image.layer.v1.tar+gzip" : "application/vnd.oci.image.layer.v1.tar")
            layerDescriptors.append(try blob(stored, mediaType: type))
        }
        diffIDs += (0..<extraDiffIDs).map { _ in BlobDigest.sha256([]) }
        let parts = platform.split(separator: "/").map(String.init)
        var config: [String: Any] = ["os": parts[0], "architecture": parts[1], "rootfs": ["type": "layers", "diff_ids": diffIDs]]
        if parts.count > 2 { config["variant"] = parts[2] }
        let docker = manifestType == ImageMediaType.dockerManifest
        let configDescriptor = try blob(LayoutBuilder.json(config), mediaType: docker ? ImageMediaType.dockerConfig : ImageMediaType.ociConfig)
        let manifest: [String: Any] = ["schemaVersion": 2, "mediaType": manifestType, "config": configDescriptor,
                                       "layers": layerDescriptors]
        return try blob(LayoutBuilder.json(manifest), mediaType: manifestType, extra: descriptorExtra)
    }

    /// An index (or manifest list) blob of `entries`; returns its descriptor.
    func index(_ entries: [[String: Any]], mediaType: String = ImageMediaType.ociIndex, extra: [String: Any] = [:]) throws -> [String: Any] {
        try blob(LayoutBuilder.json(["schemaVersion": 2, "mediaType": mediaType, "manifests": entries]),
                 mediaType: mediaType, extra: extra)
    }

    /// Writes index.json listing `entries`.
    func writeIndexJSON(_ entries: [[String: Any]]) throws {
        let bytes = LayoutBuilder.json(["schemaVersion": 2, "manifests": entries])
        try Data(bytes).write(to: URL(fileURLWithPath: path + "/index.json"))
    }

    /// Replaces a blob's content (to break its digest), keeping its name.
    func corrupt(_ digest: Any?, with bytes: [UInt8]) throws {
        let name = (digest as! String).dropFirst(7)
        try Data(bytes).write(to: URL(fileURLWithPath: path + "/blobs/sha256/" + name))
    }

    func blobBytes(_ digest: Any?) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path + "/blobs/sha256/" + (digest as! String).dropFirst(7))))
    }

    /// A tar (GNU tar's default format) of files `path → content`.
    static func tar(_ files: [String: String]) throws -> [UInt8] {
        let root = NSTemporaryDirectory() + "vigil-src-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: root) }
        for (name, content) in files {
            let file = root + "/" + name
            try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try Data(content.utf8).write(to: URL(fileURLWithPath: file))
        }
        return try run(["tar", "--sort=name", "--mtime=@0", "--owner=0", "--group=0", "-C", root, "-cf", "-", "."])
    }

    /// Runs a command, feeding `input`; its standard output, or an error when it fails.
    @discardableResult
    static func run(_ arguments: [String], input: [UInt8] = [], in directory: String? = nil) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        let writer = Thread { stdin.fileHandleForWriting.write(Data(input)); try? stdin.fileHandleForWriting.close() }
        writer.start()
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        let err = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw NSError(domain: "run", code: Int(process.terminationStatus), userInfo: [
                NSLocalizedDescriptionKey: "\(arguments.joined(separator: " ")): \(String(decoding: err, as: UTF8.self))"])
        }
        return Array(out)
    }

    /// A fresh temporary directory, removed when the test ends.
    static func temporaryDirectory(_ test: XCTestCase) throws -> String {
        let path = NSTemporaryDirectory() + "vigil-src-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }
}

/// The error `body` throws as an `ImageError`'s text, or a failure when it throws none.
func imageError(_ body: () throws -> Any, file: StaticString = #filePath, line: UInt = #line) -> String {
    do {
        _ = try body()
        XCTFail("expected an ImageError", file: file, line: line)
    } catch let error as ImageError {
        return error.description
    } catch {
        XCTFail("expected an ImageError, got \(error)", file: file, line: line)
    }
    return ""
}
