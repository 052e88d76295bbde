import Foundation
import XCTest
@testable import VigilImage
import VigilTarget

/// Builds layer fixtures with real tools (Python's tarfile, GNU tar, gzip, zstd) in a
/// private temporary directory, and reads them back.
final class LayerFixtures {
    let dir: URL

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-layer-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    /// Runs a program (found on PATH) and returns its standard output; fails the test on a
    /// non-zero exit.
    @discardableResult
    func run(_ args: [String], input: Data? = nil, file: StaticString = #filePath, line: UInt = #line) throws -> Data {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = args
        p.currentDirectoryURL = dir
        let id = UUID().uuidString
        let outURL = dir.appendingPathComponent(".out-\(id)"), errURL = dir.appendingPathComponent(".err-\(id)")
        let inURL = dir.appendingPathComponent(".in-\(id)")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        try (input ?? Data()).write(to: inURL)
        defer { for url in [outURL, errURL, inURL] { try? FileManager.default.removeItem(at: url) } }
        p.standardOutput = try FileHandle(forWritingTo: outURL)
        p.standardError = try FileHandle(forWritingTo: errURL)
        p.standardInput = try FileHandle(forReadingFrom: inURL)
        try p.run()
        p.waitUntilExit()
        let output = try Data(contentsOf: outURL)
        let errors = try Data(contentsOf: errURL)
        if p.terminationStatus != 0 {
            XCTFail("\(args.joined(separator: " ")) failed: \(String(decoding: errors, as: UTF8.self))", file: file, line: line)
            throw CocoaError(.fileReadUnknown)
        }
        return output
    }

    /// Runs a Python script with arguments (in the fixture directory).
    @discardableResult
    func python(_ script: String, _ args: [String] = []) throws -> Data {
        try run(["python3", "-c", script] + args)
    }

    func bytes(_ name: String) throws -> [UInt8] { Array(try Data(contentsOf: dir.appendingPathComponent(name))) }

    func write(_ name: String, _ bytes: [UInt8]) throws {
        try Data(bytes).write(to: dir.appendingPathComponent(name))
    }

    /// `name` compressed with `tool` ("gzip" or "zstd") into `name.gz` / `name.zst`.
    @discardableResult
    func compress(_ name: String, with tool: String, extraArgs: [String] = []) throws -> String {
        let suffix = tool == "gzip" ? ".gz" : ".zst"
        let data = try run([tool, "-c"] + extraArgs + [name])
        try data.write(to: dir.appendingPathComponent(name + suffix))
        return name + suffix
    }

    /// The layer blob for file `name` (whole file, or starting at `offset`), digests optional.
    func layer(_ name: String, offset: Int64 = 0, length: Int64? = nil, digest: String? = nil, diffID: String? = nil,
               compression: LayerCompression? = nil) throws -> LayerBlob {
        let fd = open(path(name), O_RDONLY)
        guard fd >= 0 else { throw CocoaError(.fileNoSuchFile) }
        let size = Int64(try FileManager.default.attributesOfItem(atPath: path(name))[.size] as! Int)
        let location = BlobLocation(file: ImageFile(fd: fd, path: path(name)), offset: offset, length: length ?? size - offset)
        return LayerBlob(index: 1, digest: digest, diffID: diffID, mediaType: "", location: location, compression: compression)
    }

    /// `sha256:<hex>` of a file, by the system's sha256sum.
    func sha256(_ name: String) throws -> String {
        "sha256:" + String(String(decoding: try run(["sha256sum", name]), as: UTF8.self).prefix(64))
    }

    /// Reads `layer`, returning its entries (or throwing what `LayerReader` throws).
    func read(_ layer: LayerBlob, limits: ImageLimits = ImageLimits(), budget: ExpansionBudget? = nil,
              spoolDirectory: String? = nil, each: ((LayerEntry) throws -> Void)? = nil) throws -> [LayerEntry] {
        var entries: [LayerEntry] = []
        try LayerReader.read(layer, image: "oci:/images/test:1", budget: budget ?? ExpansionBudget(limits: limits),
                             spoolDirectory: spoolDirectory ?? dir.path) { entry in
            try each?(entry)
            entries.append(entry)
        }
        return entries
    }

    /// The `ImageError` reading `layer` throws (failing the test when it reads fine).
    func readError(_ layer: LayerBlob, limits: ImageLimits = ImageLimits(), file: StaticString = #filePath,
                   line: UInt = #line) -> ImageError? {
        do {
            _ = try read(layer, limits: limits)
            XCTFail("expected an error", file: file, line: line)
        } catch let error as ImageError {
            return error
        } catch {
            XCTFail("not an ImageError: \(error)", file: file, line: line)
        }
        return nil
    }
}

/// The bytes at a content location, read back with pread.
func contentBytes(_ location: BlobLocation) -> [UInt8] {
    var out = [UInt8](repeating: 0, count: Int(location.length))
    var done = 0
    while done < out.count {
        let n = out.withUnsafeMutableBytes {
            pread(location.file.fd, $0.baseAddress! + done, $0.count - done, off_t(location.offset) + off_t(done))
        }
        guard n > 0 else { break }
        done += n
    }
    return Array(out.prefix(done))
}
