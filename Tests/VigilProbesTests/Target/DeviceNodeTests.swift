import Foundation
import VigilOVAL
import XCTest
@testable import VigilProbes

/// Device nodes, fifos and sockets are described, never read: on an offline root a device
/// node names a device of the scanning host, and opening a fifo or device has effects.
final class DeviceNodeTests: XCTestCase {
    /// /etc/hostname a /dev/null-like node, /etc/zero a /dev/zero-like node, /etc/fifo a
    /// fifo with no writer, /etc/sock a socket.
    private func root() throws -> FileFixture {
        let fx = try FileFixture()
        try fx.dir("/etc")
        guard mknod(fx.host("/etc/hostname"), S_IFCHR | 0o644, makedev(1, 3)) == 0,
              mknod(fx.host("/etc/zero"), S_IFCHR | 0o644, makedev(1, 5)) == 0 else {
            throw XCTSkip("mknod is not permitted here (errno \(errno))")
        }
        XCTAssertEqual(mkfifo(fx.host("/etc/fifo"), 0o644), 0)
        XCTAssertEqual(mknod(fx.host("/etc/sock"), S_IFSOCK | 0o644, 0), 0)
        return fx
    }

    private func makedev(_ major: UInt32, _ minor: UInt32) -> dev_t {
        dev_t((major & 0xfff) << 8 | (minor & 0xff))
    }

    private let special = ["/etc/hostname", "/etc/zero", "/etc/fifo", "/etc/sock"]

    func testTargetRefusesToReadAnythingButRegularFiles() throws {
        let fx = try root()
        let target = try fx.target()
        for path in special {
            XCTAssertThrowsError(try target.readFile(path, limit: 1 << 16), path) { error in
                XCTAssertEqual((error as? TargetError)?.kind, .notRegular, "\(path): \(error)")
            }
            XCTAssertNil(target.readText(path), path)
            XCTAssertThrowsError(try target.withOpenFile(path) { _ in XCTFail("\(path) was opened") }, path)
            XCTAssertThrowsError(try ProbeContext(target: target).readFile(path), path)
        }
    }

    func testALinkToADeviceIsNotReadEither() throws {
        let fx = try root()
        try fx.link("/etc/machine-id", to: "zero")
        XCTAssertThrowsError(try fx.target().readFile("/etc/machine-id", limit: 1 << 16)) { error in
            XCTAssertEqual((error as? TargetError)?.kind, .notRegular)
        }
    }

    func testFileObjectDescribesTheNodes() throws {
        let fx = try root()
        let context = try fx.context()
        let types = special.map { path -> String in
            FileProbe().collect(Obj.object("file_object", [Obj.entity("filepath", path)]), context: context).values("type").joined()
        }
        XCTAssertEqual(types, ["character special", "character special", "fifo", "socket"])
    }

    /// As oscap 1.3.7 (checked with `OSCAP_PROBE_ROOT` on such a root): no content, no
    /// error, the object does not exist.
    func testTextFileContentFindsNothingInNodes() throws {
        let fx = try root()
        let context = try fx.context()
        for path in special {
            let object = Obj.object("textfilecontent54_object", [
                Obj.entity("filepath", path), Obj.entity("pattern", "^.*$", .patternMatch),
                Obj.entity("instance", "1", .greaterThanOrEqual, datatype: .int),
            ], family: "independent")
            let result = TextFileContent54Probe().collect(object, context: context)
            XCTAssertEqual(result.flag, .doesNotExist, "\(path): \(result.messages)")
        }
    }

    func testFileHashGivesNoItemForNodes() throws {
        let fx = try root()
        let context = try fx.context()
        for path in special {
            let object = Obj.object("filehash58_object", [Obj.entity("filepath", path), Obj.entity("hash_type", "SHA-256")],
                                    family: "independent")
            XCTAssertEqual(FileHashProbe().collect(object, context: context).items.count, 0, path)
        }
    }

    /// A special file's device number, in the kernel's 32-bit form (as `/proc/PID/stat`
    /// writes `tty_nr`), 0 for other files; and `FileInfo` stays 64 bytes (a walk keeps one
    /// per directory entry).
    func testSpecialFilesGiveTheirDeviceNumber() throws {
        // /dev/null is character device 1:3: minor 3 | major 1 << 8.
        XCTAssertEqual(HostTarget().fileInfo("/dev/null")?.specialDevice, 3 | 1 << 8)
        XCTAssertEqual(HostTarget().fileInfo("/etc/passwd")?.specialDevice, 0)
        XCTAssertEqual(MemoryLayout<FileInfo>.stride, 64)
    }
}
