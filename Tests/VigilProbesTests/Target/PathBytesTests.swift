import Foundation
import VigilOVAL
import XCTest
@testable import VigilProbes

/// File names that are not UTF-8: kept byte for byte from listing to item.
final class PathBytesTests: XCTestCase {
    func testEscapingIsABijectionOnBytes() {
        var generator = SystemRandomNumberGenerator()
        let samples: [[UInt8]] = [
            [], Array("plain/ascii".utf8), Array("é中😀".utf8), [0xFF], [0xC3], [0xE2, 0x82], [0xED, 0xA0, 0x80],
            [0xC0, 0xAF], [0xF4, 0x90, 0x80, 0x80],
            Array("\u{10FE80}\u{10FEFF}".utf8),   // genuine characters of the escape range
            [0xF4, 0x8F, 0xBA], [0x61, 0xFF, 0x2F, 0xFE, 0x62],
        ] + (0..<300).map { _ in (0..<Int.random(in: 1...12, using: &generator)).map { _ in UInt8.random(in: 1...255, using: &generator) } }
        var seen: [String: [UInt8]] = [:]
        for bytes in samples {
            let string = PathBytes.string(bytes)
            XCTAssertEqual(PathBytes.bytes(string), bytes, "round trip of \(bytes)")
            if let other = seen[string] { XCTAssertEqual(other, bytes, "two byte strings share \(string.debugDescription)") }
            seen[string] = bytes
            PathBytes.withCString(string) { XCTAssertEqual(Array(UnsafeBufferPointer(start: $0, count: strlen($0)).map { UInt8(bitPattern: $0) }), bytes) }
        }
        XCTAssertEqual(PathBytes.string(Array("é/x".utf8)), "é/x", "valid UTF-8 is unchanged")
        XCTAssertNotEqual(PathBytes.string(Array("\u{10FE80}".utf8)), "\u{10FE80}", "a genuine escape-range character is escaped")
    }

    func testDisplayFormWritesEscapedBytesInHex() {
        XCTAssertEqual(PathBytes.display(PathBytes.string([0x2F, 0x61, 0xFF, 0x0A, 0xC3, 0xA9])), "/a\\xff\n\u{E9}")
        XCTAssertEqual(PathBytes.display("/etc/passwd"), "/etc/passwd")
        let long = "/a" + String(repeating: "/d", count: 500)
        XCTAssertEqual(PathBytes.display(long, limit: 21), "/a/d/d/d/...d/d/d/d/d")
        XCTAssertEqual(PathBytes.display("/etc/passwd", limit: 21), "/etc/passwd")
    }

    /// /home/bad\xff\xfe/ holds a world-writable file and a .rhosts; every walk finds both.
    private func hostileHome(under root: String) throws -> [UInt8] {
        let dir = Array((root + "/home/bad").utf8) + [0xFF, 0xFE]
        try mkdirBytes(Array((root + "/home").utf8))
        try mkdirBytes(dir)
        try writeBytes(dir + Array("/.rhosts".utf8), "+ +\n", mode: 0o600)
        try writeBytes(dir + Array("/ww".utf8), "x", mode: 0o666)
        try writeBytes(Array((root + "/home/ok").utf8), "", mode: 0o644)
        return dir
    }

    private func mkdirBytes(_ path: [UInt8]) throws {
        let rc = (path + [0]).withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { mkdir($0.baseAddress!, 0o755) } }
        guard rc == 0 || errno == EEXIST else { throw FixtureError("mkdir failed: \(errno)") }
    }

    private func writeBytes(_ path: [UInt8], _ text: String, mode: mode_t) throws {
        let fd = (path + [0]).withUnsafeBufferPointer {
            $0.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_WRONLY | O_CREAT | O_TRUNC, 0o600) }
        }
        guard fd >= 0 else { throw FixtureError("open failed: \(errno)") }
        _ = Array(text.utf8).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        fchmod(fd, mode)
        close(fd)
    }

    private func rhostsObject(_ home: String) -> ResolvedObject {
        Obj.object("file_object", [Obj.entity("path", home), Obj.entity("filename", "^\\.(r|s)hosts$", .patternMatch)],
                   behaviors: ["recurse_direction": "down"])
    }

    private func worldWritable(_ items: [OVALItem]) -> [OVALItem] {
        items.filter { $0.value("owrite") == "true" && $0.value("type") == "regular" }
    }

    private func check(_ context: ProbeContext, home: String, insideDir: [UInt8]) throws {
        let rhosts = FileProbe().collect(rhostsObject(home), context: context)
        XCTAssertEqual(rhosts.flag, .complete, "\(rhosts.messages)")
        let item = try XCTUnwrap(rhosts.items.first, "the .rhosts under a non-UTF-8 directory is found")
        XCTAssertEqual(PathBytes.bytes(try XCTUnwrap(item.value("path"))), insideDir, "the item path keeps every byte")
        XCTAssertEqual(PathBytes.display(try XCTUnwrap(item.value("filepath"))),
                       PathBytes.display(PathBytes.string(insideDir)) + "/.rhosts")

        let all = FileProbe().collect(Obj.object("file_object", [Obj.entity("path", home), Obj.entity("filename", ".*", .patternMatch)],
                                                 behaviors: ["recurse_direction": "down"]), context: context)
        let ww = worldWritable(all.items)
        XCTAssertEqual(ww.map { PathBytes.bytes($0.value("filepath") ?? "") }, [insideDir + Array("/ww".utf8)],
                       "the world-writable file under a non-UTF-8 directory is found")

        // Reading through the escaped path opens the very file.
        let content = try context.target.readFile(PathBytes.string(insideDir + Array("/.rhosts".utf8)))
        XCTAssertEqual(content, Array("+ +\n".utf8))
    }

    func testNonUTF8DirectoryIsWalkedInsideAnOfflineRoot() throws {
        let fx = try FileFixture()
        let dir = try hostileHome(under: fx.root)
        _ = dir
        try check(try fx.context(), home: "/home", insideDir: Array("/home/bad".utf8) + [0xFF, 0xFE])
    }

    func testNonUTF8DirectoryIsWalkedOnTheLiveHost() throws {
        let fx = try FileFixture()
        let dir = try hostileHome(under: fx.root)
        try check(ProbeContext(target: Targets.host), home: fx.root + "/home", insideDir: dir)
    }

    func testNonUTF8FileNameInATextFileContentObject() throws {
        let fx = try FileFixture()
        let dir = try hostileHome(under: fx.root)
        _ = dir
        let object = Obj.object("textfilecontent54_object", [
            Obj.entity("path", "/home", .patternMatch), Obj.entity("filename", "^\\.rhosts$", .patternMatch),
            Obj.entity("pattern", "^\\+", .patternMatch), Obj.entity("instance", "1", .greaterThanOrEqual, datatype: .int),
        ], behaviors: ["recurse_direction": "down"], family: "independent")
        let result = TextFileContent54Probe().collect(object, context: try fx.context())
        XCTAssertEqual(result.flag, .complete, "\(result.messages)")
        XCTAssertEqual(result.values("text"), ["+"])
    }
}
