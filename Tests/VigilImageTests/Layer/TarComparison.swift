import Foundation
import XCTest
@testable import VigilImage
import VigilTarget

/// Compares entries read by `LayerReader` with what Python's tarfile reads from the same
/// tar stream (`TarScripts.dump`), field by field, content by content.
enum TarComparison {
    static func assertSame(_ entries: [LayerEntry], pythonDump json: Data, file: StaticString = #filePath,
                           line: UInt = #line) throws {
        let expected = try XCTUnwrap(try JSONSerialization.jsonObject(with: json) as? [[String: Any]])
        XCTAssertEqual(entries.count, expected.count, "entry count", file: file, line: line)
        for (entry, want) in zip(entries, expected) {
            let name = PathBytes.display(entry.path)
            XCTAssertEqual(hexString(pathBytes(entry)), want["path"] as? String, "path of \(name)", file: file, line: line)
            XCTAssertEqual(kindName(entry.kind), want["kind"] as? String, "kind of \(name)", file: file, line: line)
            XCTAssertEqual(Int(entry.mode), want["mode"] as? Int, "mode of \(name)", file: file, line: line)
            XCTAssertEqual(Int(entry.uid), want["uid"] as? Int, "uid of \(name)", file: file, line: line)
            XCTAssertEqual(Int(entry.gid), want["gid"] as? Int, "gid of \(name)", file: file, line: line)
            XCTAssertEqual(Int(entry.modifyTime), want["mtime"] as? Int, "mtime of \(name)", file: file, line: line)
            XCTAssertEqual(entry.accessTime.map(Int.init), want["atime"] as? Int, "atime of \(name)", file: file, line: line)
            XCTAssertEqual(entry.changeTime.map(Int.init), want["ctime"] as? Int, "ctime of \(name)", file: file, line: line)
            XCTAssertEqual(Int(entry.size), want["size"] as? Int, "size of \(name)", file: file, line: line)
            XCTAssertEqual(hexString(PathBytes.bytes(entry.linkName)), want["link"] as? String, "link of \(name)",
                           file: file, line: line)
            XCTAssertEqual(Int(entry.deviceMajor), want["major"] as? Int, "major of \(name)", file: file, line: line)
            XCTAssertEqual(Int(entry.deviceMinor), want["minor"] as? Int, "minor of \(name)", file: file, line: line)
            XCTAssertEqual(entry.xattrs.mapValues { hexString($0) }, want["xattrs"] as? [String: String],
                           "xattrs of \(name)", file: file, line: line)
            if entry.kind == .regular {
                let content = try XCTUnwrap(entry.content, "content of \(name)", file: file, line: line)
                XCTAssertEqual(content.length, entry.size, file: file, line: line)
                XCTAssertEqual(try sha256(contentBytes(content)), want["sha256"] as? String, "content of \(name)",
                               file: file, line: line)
            } else {
                XCTAssertNil(entry.content, "content of \(name)", file: file, line: line)
            }
        }
    }

    /// The path's bytes as Python's tarfile names it: a directory without its trailing slashes.
    static func pathBytes(_ entry: LayerEntry) -> [UInt8] {
        var bytes = PathBytes.bytes(entry.path)
        if entry.kind == .directory { while bytes.count > 1, bytes.last == 0x2F { bytes.removeLast() } }
        return bytes
    }

    static func kindName(_ kind: LayerEntry.Kind) -> String {
        switch kind {
        case .regular: "regular"
        case .directory: "directory"
        case .symlink: "symlink"
        case .hardlink: "hardlink"
        case .characterDevice: "characterDevice"
        case .blockDevice: "blockDevice"
        case .fifo: "fifo"
        }
    }

    static func sha256(_ bytes: [UInt8]) throws -> String {
        let hasher = try SHA256Hasher()
        bytes.withUnsafeBytes { hasher.update($0) }
        return String(hasher.finish().dropFirst("sha256:".count))
    }
}
