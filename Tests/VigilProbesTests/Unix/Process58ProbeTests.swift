import XCTest
import Foundation
import VigilOVAL
@testable import VigilProbes

final class Process58ProbeTests: XCTestCase {
    private func object(command: String? = nil, commandOp: OVALOperation = .patternMatch,
                        pid: String? = nil, pidOp: OVALOperation = .equals) -> ResolvedObject {
        var entities: [ResolvedEntity] = []
        if let command {
            entities.append(ResolvedEntity(entity: OVALEntity(name: "command_line", value: command, operation: commandOp),
                                           values: [command]))
        }
        if let pid {
            entities.append(ResolvedEntity(entity: OVALEntity(name: "pid", value: pid, datatype: .int, operation: pidOp),
                                           values: [pid]))
        }
        return ResolvedObject(object: OVALObject(id: "oval:t:obj:1", type: "process58_object", family: "unix",
                                                 entities: entities.map(\.entity)), entities: entities)
    }

    // MARK: live host

    func testLiveFindsThisTestProcess() throws {
        let me = getpid()
        let r = Process58Probe().collect(object(command: ".*", pid: String(me)), context: ProbeContext(target: Targets.host))
        XCTAssertEqual(r.flag, .complete)
        let item = try XCTUnwrap(r.items.first)
        XCTAssertEqual(item.fields.first?.name, "command_line")
        XCTAssertEqual(item.fields.last?.name, "session_id")
        XCTAssertEqual(item.value("pid"), String(me))
        XCTAssertEqual(item.value("ppid"), String(getppid()))
        XCTAssertEqual(item.value("ruid"), String(getuid()))
        XCTAssertEqual(item.value("user_id"), String(geteuid()))
        XCTAssertEqual(item.value("session_id"), String(getsid(0)))
        // The command line starts with the test runner's own executable path.
        let arg0 = CommandLine.arguments[0]
        XCTAssertTrue(item.value("command_line")?.hasPrefix(arg0) == true, item.value("command_line") ?? "")
        XCTAssertNotNil(item.value("exec_time")?.range(of: #"^(\d+-)?\d\d:\d\d:\d\d$"#, options: .regularExpression))
        XCTAssertNotNil(item.value("start_time")?.range(of: #"^(\d\d:\d\d:\d\d|[A-Z][a-z]{2}_\d\d)$"#, options: .regularExpression))
        XCTAssertEqual(item.value("scheduling_class"), "TS")
        XCTAssertEqual(item.fields(named: "exec_shield").first?.datatype, .boolean)
    }

    func testLiveCommandLineSelection() throws {
        let r = Process58Probe().collect(object(command: "no-such-command-line-\(UUID().uuidString)", commandOp: .equals),
                                         context: ProbeContext(target: Targets.host))
        XCTAssertEqual(r.flag, .doesNotExist)
        let all = Process58Probe().collect(object(command: ".*"), context: ProbeContext(target: Targets.host))
        XCTAssertTrue(all.items.contains { $0.value("pid") == String(getpid()) })
        XCTAssertFalse(all.items.contains { $0.value("pid") == "2" || $0.value("ppid") == "2" }, "kernel threads are skipped")
    }

    // MARK: offline root with a fabricated /proc

    private func fakeRoot() throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-p58-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root + "/proc", withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: root) }
        return root
    }

    private func write(_ root: String, _ path: String, _ bytes: [UInt8]) throws {
        let full = root + path
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: full, contents: Data(bytes))
    }

    /// A stat line with the given fields (state, ppid, session, utime, stime, priority, start, policy).
    private func stat(pid: Int, comm: String, state: String = "S", ppid: Int, session: Int, tty: Int = 0,
                      utime: Int = 0, stime: Int = 0, priority: Int = 20, start: Int = 0, policy: Int = 0) -> [UInt8] {
        var f = [state, String(ppid), String(pid), String(session), String(tty), "-1", "4194560", "1", "0", "0", "0",
                 String(utime), String(stime), "0", "0", String(priority), "0", "1", "0", String(start)]
        f += Array(repeating: "0", count: 18) + [String(policy), "0", "0", "0"]
        return Array("\(pid) (\(comm)) \(f.joined(separator: " "))\n".utf8)
    }

    func testOfflineProcFields() throws {
        let root = try fakeRoot()
        let hz = sysconf(Int32(_SC_CLK_TCK))
        try write(root, "/proc/stat", Array("cpu 1 2 3\nbtime 1000\n".utf8))
        try write(root, "/proc/100/stat", stat(pid: 100, comm: "my daemon) x", ppid: 1, session: 100,
                                                utime: 3725 * hz + 5, stime: 86400 * hz, priority: 10, start: 0, policy: 3))
        try write(root, "/proc/100/cmdline", Array("/usr/bin/daemon\0--flag\0tab\there\0\u{e9}\0\0".utf8))
        try write(root, "/proc/100/status", Array("Name:\tx\nUid:\t0\t33\t33\t33\nCapEff:\t0000000001000401\n".utf8))
        try write(root, "/proc/100/loginuid", Array("1000".utf8))
        try write(root, "/proc/100/maps", Array("""
            55d0-55d1 r-xp 00001000 08:01 1234 /usr/bin/daemon
            7f00-7f01 rwxp 00002000 00:00 0 \n
            """.utf8))
        let ctx = ProbeContext(target: try RootTarget(root))
        let r = Process58Probe().collect(object(command: "^/usr/bin/daemon"), context: ctx)
        XCTAssertEqual(r.flag, .complete)
        let item = try XCTUnwrap(r.items.first)
        XCTAssertEqual(item.fields.map(\.name), [
            "command_line", "exec_time", "pid", "ppid", "priority", "ruid", "scheduling_class", "start_time", "tty",
            "user_id", "exec_shield", "loginuid", "posix_capability", "posix_capability", "posix_capability", "session_id",
        ])
        XCTAssertEqual(item.value("command_line"), "/usr/bin/daemon --flag tab.here ..")
        XCTAssertEqual(item.value("exec_time"), "1-01:02:05")
        XCTAssertEqual(item.value("ppid"), "1")
        XCTAssertEqual(item.value("priority"), "10")
        XCTAssertEqual(item.value("ruid"), "0")
        XCTAssertEqual(item.value("user_id"), "33")
        XCTAssertEqual(item.value("scheduling_class"), "B")
        XCTAssertEqual(item.value("tty"), "?")
        XCTAssertEqual(item.value("loginuid"), "1000")
        XCTAssertEqual(item.value("exec_shield"), "false")
        XCTAssertEqual(item.fields(named: "posix_capability").map(\.value), ["CAP_CHOWN", "CAP_NET_BIND_SERVICE", "CAP_SYS_RESOURCE"])
        XCTAssertEqual(item.value("session_id"), "100")
        // Started at boot (btime 1000 = 1970): another day, so "Mon_DD".
        XCTAssertNotNil(item.value("start_time")?.range(of: #"^[A-Z][a-z]{2}_\d\d$"#, options: .regularExpression))
    }

    func testOfflineZombiesKernelThreadsAndEmptyCommandLines() throws {
        let root = try fakeRoot()
        try write(root, "/proc/2/stat", stat(pid: 2, comm: "kthreadd", ppid: 0, session: 0))
        try write(root, "/proc/50/stat", stat(pid: 50, comm: "kworker/0:1", ppid: 2, session: 0))
        try write(root, "/proc/60/stat", stat(pid: 60, comm: "zombie", state: "Z", ppid: 1, session: 60))
        try write(root, "/proc/60/cmdline", Array("ignored\0".utf8))
        try write(root, "/proc/70/stat", stat(pid: 70, comm: "averyveryverylongname", ppid: 1, session: 70))
        try write(root, "/proc/70/cmdline", [])
        try write(root, "/proc/80/stat", Array("80 (short)".utf8))   // too short: skipped
        try FileManager.default.createDirectory(atPath: root + "/proc/self", withIntermediateDirectories: true)
        let ctx = ProbeContext(target: try RootTarget(root))
        let r = Process58Probe().collect(object(command: ".*"), context: ctx)
        let byPid = Dictionary(uniqueKeysWithValues: r.items.compactMap { i in i.value("pid").map { ($0, i) } })
        XCTAssertEqual(Set(byPid.keys), ["60", "70"])
        XCTAssertEqual(byPid["60"]?.value("command_line"), "[zombie] <defunct>")
        XCTAssertEqual(byPid["70"]?.value("command_line"), "averyveryverylo")
        // Missing status and loginuid files: -1 uids and the unset loginuid.
        XCTAssertEqual(byPid["70"]?.value("ruid"), "-1")
        XCTAssertEqual(byPid["70"]?.value("loginuid"), "4294967295")
        XCTAssertEqual(byPid["70"]?.fields(named: "posix_capability").count, 0)

        let pid = Process58Probe().collect(object(pid: "60"), context: ctx)
        XCTAssertEqual(pid.items.compactMap { $0.value("pid") }, ["60"])
        let greater = Process58Probe().collect(object(command: ".*", pid: "65", pidOp: .greaterThan), context: ctx)
        XCTAssertEqual(greater.items.compactMap { $0.value("pid") }, ["70"])
    }

    func testOfflineEmptyProcDoesNotExist() throws {
        let root = try fakeRoot()
        let r = Process58Probe().collect(object(command: ".*"), context: ProbeContext(target: try RootTarget(root)))
        XCTAssertEqual(r.flag, .doesNotExist)
        try FileManager.default.removeItem(atPath: root + "/proc")
        let none = Process58Probe().collect(object(command: ".*"), context: ProbeContext(target: try RootTarget(root)))
        XCTAssertEqual(none.flag, .doesNotExist)
        XCTAssertEqual(Process58Probe().collect(object(), context: ProbeContext(target: try RootTarget(root))).flag, .error)
    }

    // MARK: helpers

    func testExecShieldFromMaps() {
        XCTAssertTrue(ProcessReader.execShield(maps: "7f00-7f01 rw-p 00000000 00:00 0 \n"))
        XCTAssertFalse(ProcessReader.execShield(maps: "7f00-7f01 rwxp 00001000 00:00 0\n"))
        XCTAssertTrue(ProcessReader.execShield(maps: "7f00-7f01 rwxp 00000000 00:00 0\n"))
        // Only anonymous writable mappings count; the last one decides.
        XCTAssertTrue(ProcessReader.execShield(maps: "1-2 rwxp 00001000 00:00 0\n3-4 rw-p 00000000 00:00 0\n5-6 rwxp 00001000 08:01 5 /lib/x\n"))
        XCTAssertFalse(ProcessReader.execShield(maps: "1-2 r--p 00000000 00:00 0\n7-8 rw-p 00000000 00:00 0 [heap]\n"))
        XCTAssertFalse(ProcessReader.execShield(maps: ""))
    }

    func testCommandLineFormatting() {
        XCTAssertNil(ProcessReader.formatCommandLine([]))
        XCTAssertEqual(ProcessReader.formatCommandLine([0]), " ")
        XCTAssertEqual(ProcessReader.formatCommandLine(Array("a\0b\nc\0\0\0".utf8)), "a b c")
        XCTAssertEqual(ProcessReader.formatCommandLine(Array("x\u{7f}y".utf8)), "x.y")
    }

    func testDurationAndBootTime() {
        XCTAssertEqual(ProcessReader.formatDuration(0), "00:00:00")
        XCTAssertEqual(ProcessReader.formatDuration(3661), "01:01:01")
        XCTAssertEqual(ProcessReader.formatDuration(90061), "1-01:01:01")
        XCTAssertEqual(ProcessReader.bootTime("cpu 1\nbtime 1700000000\n"), 1_700_000_000)
        XCTAssertEqual(ProcessReader.bootTime("btime 5\n"), 0, "the first line is skipped, as OpenSCAP does")
    }

    func testTTYDriversAndDeviceNumbers() {
        let drivers = TTYDrivers.parse("""
            /dev/tty             /dev/tty        5       0 system:/dev/tty
            serial               /dev/ttyS       4      64-111 serial
            pty_slave            /dev/pts      136 0-1048575 pty:slave
            unknown              /dev/tty        4 1-63 console
            """)
        XCTAssertEqual(drivers.map(\.name), ["tty", "pts", "ttyS", "tty"])
        XCTAssertEqual(drivers.first?.minors, 1...63)
        // tty_nr of /dev/pts/300: major 136, minor 300.
        let dev: UInt32 = (300 & 0xff) | (136 << 8) | ((300 & ~0xff) << 12)
        XCTAssertEqual(TTYDrivers.major(dev), 136)
        XCTAssertEqual(TTYDrivers.minor(dev), 300)
        XCTAssertEqual(TTYDrivers(drivers: drivers).name(device: 0, pid: 1, target: Targets.host), "?")
    }
}
