import XCTest
import Foundation
import VigilOVAL
@testable import VigilProbes

final class PartitionProbeTests: XCTestCase {
    private func fixture() throws -> SysProbeFixture {
        let fx = try SysProbeFixture()
        try fx.write("/proc/mounts", """
            rootfs / rootfs rw 0 0
            /dev/sda1 / ext4 rw,relatime,errors=remount-ro 0 0
            /dev/sda2 /my\\040dir xfs ro,noexec,,nosuid 0 0
            tmpfs /tmp tmpfs rw 0 0
            tmpfs /tmp tmpfs ro 0 0
            /dev/sdz9 /missing ext4 rw 0 0
            /dev/sda3 /var ext4 rw 0 0

            """)
        try fx.mkdir("/my dir")
        try fx.mkdir("/tmp")
        try fx.mkdir("/var")
        try fx.symlink("/dev/disk/by-uuid/1234-ABCD", to: "../../sda1")
        try fx.write("/run/blkid/blkid.tab", """
            <device DEVNO="0x0802" TIME="1.2" UUID="aaaa-bbbb" TYPE="xfs">/dev/sda2</device>

            """)
        return fx
    }

    private func collect(_ fx: SysProbeFixture, _ value: String, _ op: OVALOperation = .equals) throws -> CollectedObject {
        PartitionProbe().collect(sysObject("partition_object", [("mount_point", value, op)]),
                                 context: ProbeContext(target: try fx.offlineTarget()))
    }

    func testEqualsTakesFirstLineWithSchemaOrderedFields() throws {
        let fx = try fixture()
        let r = try collect(fx, "/")
        XCTAssertEqual(r.flag, .complete)
        XCTAssertEqual(r.items.count, 1)
        let item = try XCTUnwrap(r.items.first)
        XCTAssertEqual(item.value("device"), "/dev/sda1")
        XCTAssertEqual(item.value("fs_type"), "ext4")
        XCTAssertEqual(item.value("uuid"), "1234-ABCD")
        let names = item.fields.map(\.name)
        XCTAssertEqual(Array(names.prefix(4)), ["mount_point", "device", "uuid", "fs_type"])
        XCTAssertEqual(Array(names.suffix(3)), ["total_space", "space_used", "space_left"])
        let options = item.fields(named: "mount_options").map(\.value)
        XCTAssertEqual(Array(options.prefix(3)), ["rw", "relatime", "errors=remount-ro"])

        // Figures and flag-derived options come from statvfs of the directory in the root.
        var st = statvfs()
        XCTAssertEqual(statvfs(fx.root, &st), 0)
        XCTAssertEqual(item.value("total_space"), String(UInt64(st.f_blocks)))
        XCTAssertEqual(options.contains("bind"), UInt64(st.f_flag) & 4096 != 0)
        XCTAssertEqual(item.fields(named: "total_space").first?.datatype, .int)

        let tmp = try collect(fx, "/tmp")
        XCTAssertEqual(tmp.items.count, 1)
        XCTAssertEqual(tmp.items.first?.fields(named: "mount_options").first?.value, "rw")
        XCTAssertEqual(tmp.items.first?.fields(named: "uuid").first?.status, .doesNotExist)
    }

    func testEscapesEmptyOptionsAndBlkidCache() throws {
        let fx = try fixture()
        let r = try collect(fx, "/my dir")
        let item = try XCTUnwrap(r.items.first)
        XCTAssertEqual(item.value("uuid"), "aaaa-bbbb")
        XCTAssertEqual(Array(item.fields(named: "mount_options").map(\.value).prefix(3)), ["ro", "noexec", "nosuid"])
    }

    func testPatternAndNotEqualStopAtFirstStatvfsFailure() throws {
        let fx = try fixture()
        let pattern = try collect(fx, "^/(tmp|missing|var)", .patternMatch)
        XCTAssertEqual(pattern.items.compactMap { $0.value("mount_point") }, ["/tmp", "/tmp"])
        let notEqual = try collect(fx, "/tmp", .notEqual)
        XCTAssertEqual(notEqual.items.compactMap { $0.value("mount_point") }, ["/", "/my dir"])
        XCTAssertEqual(try collect(fx, "/(", .patternMatch).flag, .error)
        XCTAssertEqual(try collect(fx, "/", .caseInsensitiveEquals).flag, .doesNotExist)
        XCTAssertEqual(try collect(fx, "/nowhere").flag, .doesNotExist)
    }

    func testRootWithoutMountTableHasNoItems() throws {
        let fx = try SysProbeFixture()
        XCTAssertEqual(try collect(fx, "/").flag, .doesNotExist)
    }

    func testLiveRootMountAgreesWithProcMounts() throws {
        let mounts = PartitionProbe.parseMounts(try String(contentsOfFile: "/proc/mounts", encoding: .utf8))
        let root = try XCTUnwrap(mounts.first { $0.directory == "/" && $0.type != "rootfs" })
        let r = PartitionProbe().collect(sysObject("partition_object", [("mount_point", "/", .equals)]),
                                         context: ProbeContext(target: Targets.host))
        XCTAssertEqual(r.items.first?.value("device"), root.device)
        XCTAssertEqual(r.items.first?.value("fs_type"), root.type)
    }

    func testMountLineParsing() {
        let m = PartitionProbe.parseMounts("# c\n  a\\011b /x\\134y t o\n/d /e\n")
        XCTAssertEqual(m, [PartitionProbe.Mount(device: "a\tb", directory: "/x\\y", type: "t", options: "o"),
                           PartitionProbe.Mount(device: "/d", directory: "/e", type: "", options: "")])
    }
}
