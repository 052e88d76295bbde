import Foundation
import VigilOVAL
#if canImport(Glibc)
import Glibc
#endif

/// `process58_object` (unix): the processes in the target's `/proc` whose command
/// line and pid match, as OpenSCAP's process58 probe reports them.
///
/// Everything is read from `/proc` through the target, so an offline root is read as
/// OpenSCAP reads it (`<root>/proc`, normally empty: "does not exist"). Only the
/// scheduling class of a live host comes from `sched_getscheduler(2)`, because
/// `/proc/PID/stat` does not show the reset-on-fork flag that makes OpenSCAP say "?".
/// `posix_capability` comes from `CapEff` in `/proc/PID/status` (what `cap_get_pid`
/// reads), `selinux_domain_label` from `/proc/PID/attr/current` when SELinux is on.
package struct Process58Probe: Probe {
    package init() {}

    package var objectTypes: [String] { ["process58_object"] }

    package func collect(_ object: ResolvedObject, context: ProbeContext) -> CollectedObject {
        let commandLine = object.entity("command_line")
        let pidEntity = object.entity("pid")
        if commandLine == nil && pidEntity == nil {
            return .error("process58_object needs a command_line or a pid entity")
        }
        let target = context.target
        guard let names = target.listDirectory("/proc") else {
            // As OpenSCAP: an unreadable /proc is an error only on the live host.
            return target.can(.runtimeState) ? .error("cannot read /proc") : .found([])
        }
        let reader = ProcessReader(target: target, ttyDrivers: TTYDrivers.load(context))
        var items: [OVALItem] = []
        var anyProcess = false
        for name in names {
            guard let pid = ProcessReader.pid(fromDirectoryName: name), pid != 2,
                  let stat = reader.stat(pid: pid), stat.ppid != 2 else { continue }
            anyProcess = true
            let command = reader.commandLine(pid: pid, stat: stat)
            if let e = commandLine, !e.matches(command) { continue }
            if let e = pidEntity, !e.matches(String(pid)) { continue }
            items.append(reader.item(pid: pid, stat: stat, command: command))
        }
        if target.can(.runtimeState) && !anyProcess {
            return .error("no process information could be read from /proc")
        }
        return .found(items)
    }
}

/// The fields of `/proc/PID/stat` the probe uses.
struct ProcessStat: Sendable, Equatable {
    var comm: String
    var state: Character
    var ppid: Int32
    var session: Int32
    var ttyNumber: UInt32
    var userTicks: UInt64
    var systemTicks: UInt64
    var priority: Int64
    var startTicks: UInt64
    var policy: Int32
}

/// Reads one process's details from a target's `/proc`.
struct ProcessReader {
    let target: Target
    let ttyDrivers: TTYDrivers
    let ticks: UInt64
    let bootTime: UInt64
    let now: time_t

    init(target: Target, ttyDrivers: TTYDrivers) {
        self.target = target
        self.ttyDrivers = ttyDrivers
        let hz = sysconf(Int32(_SC_CLK_TCK))
        self.ticks = hz > 0 ? UInt64(hz) : 100
        self.bootTime = ProcessReader.bootTime(target.readText("/proc/stat") ?? "")
        self.now = time(nil)
    }

    /// The pid a `/proc` entry names, read like `strtol` (leading digits), or nil.
    /// Not `CNumber`: a `/proc` name that does not start with a digit is no process
    /// (white space and signs are not skipped), and at most 9 digits are taken so the pid
    /// fits a C `int`.
    static func pid(fromDirectoryName name: String) -> Int? {
        let digits = name.utf8.prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        guard !digits.isEmpty, digits.count < 10 else { return nil }
        return Int(String(decoding: digits, as: UTF8.self))
    }

    /// `btime` from `/proc/stat` (its first line is skipped, as OpenSCAP does); 0 if absent.
    static func bootTime(_ text: String) -> UInt64 {
        for line in text.split(separator: "\n").dropFirst() where line.hasPrefix("btime") {
            let value = line.dropFirst(5).drop { $0 == " " || $0 == "\t" }.prefix { $0.isASCII && $0.isNumber }
            return UInt64(value) ?? 0
        }
        return 0
    }

    func stat(pid: Int) -> ProcessStat? {
        guard let bytes = try? target.readFile("/proc/\(pid)/stat") else { return nil }
        return ProcessReader.parseStat(Array(bytes.prefix(4095)))
    }

    /// Parses `/proc/PID/stat`; nil when it is too short or has no `)` (OpenSCAP skips those).
    static func parseStat(_ bytes: [UInt8]) -> ProcessStat? {
        guard bytes.count >= 40, let close = bytes.lastIndex(of: UInt8(ascii: ")")) else { return nil }
        var comm = ""
        if let open = bytes.firstIndex(of: UInt8(ascii: "(")), open < close {
            comm = String(decoding: bytes[(open + 1)..<min(close, open + 16)], as: UTF8.self)
        }
        let rest = bytes.count > close + 2 ? Array(bytes[(close + 2)...]) : []
        let fields = rest.split(whereSeparator: { $0 == 0x20 || $0 == 0x0a }).map { String(decoding: $0, as: UTF8.self) }
        guard fields.count >= 20, let state = fields[0].first else { return nil }
        func int<T: FixedWidthInteger>(_ i: Int, _: T.Type) -> T {
            guard i < fields.count, let v = Int64(fields[i]) else { return 0 }
            return T(truncatingIfNeeded: v)
        }
        func uint(_ i: Int) -> UInt64 { i < fields.count ? UInt64(fields[i]) ?? 0 : 0 }
        return ProcessStat(comm: comm, state: state, ppid: int(1, Int32.self), session: int(3, Int32.self),
                           ttyNumber: int(4, UInt32.self), userTicks: uint(11), systemTicks: uint(12),
                           priority: int(15, Int64.self), startTicks: uint(19), policy: int(38, Int32.self))
    }

    /// The command line as OpenSCAP shows it: `[comm] <defunct>` for zombies, the
    /// arguments joined by spaces (non-printable bytes as `.`), or `comm` when empty.
    func commandLine(pid: Int, stat: ProcessStat) -> String {
        if stat.state == "Z" { return "[\(stat.comm)] <defunct>" }
        guard let bytes = try? target.readFile("/proc/\(pid)/cmdline"),
              let text = ProcessReader.formatCommandLine(bytes) else { return stat.comm }
        return text
    }

    /// Joins `cmdline` arguments: trailing NULs dropped, NUL and newline as space, other
    /// bytes outside printable ASCII as `.` (like `ps` in the C locale); nil when empty.
    static func formatCommandLine(_ raw: [UInt8]) -> String? {
        guard !raw.isEmpty else { return nil }
        var end = raw.count - 1
        while end > 0 && raw[end] == 0 { end -= 1 }
        let out = raw[0...end].map { c -> UInt8 in
            if c == 0 || c == 0x0a { return 0x20 }
            return (0x20...0x7e).contains(c) ? c : UInt8(ascii: ".")
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Builds the item for a selected process.
    func item(pid: Int, stat: ProcessStat, command: String) -> OVALItem {
        let ids = userIDs(pid: pid)
        var fields: [OVALItemField] = [
            OVALItemField("command_line", command),
            OVALItemField("exec_time", ProcessReader.formatDuration(stat.userTicks / ticks + stat.systemTicks / ticks)),
            OVALItemField("pid", String(pid), datatype: .int),
            OVALItemField("ppid", String(stat.ppid), datatype: .int),
            OVALItemField("priority", String(stat.priority), datatype: .int),
            OVALItemField("ruid", String(ids.ruid), datatype: .int),
            OVALItemField("scheduling_class", schedulingClass(pid: pid, stat: stat)),
            OVALItemField("start_time", startTime(stat)),
            OVALItemField("tty", ttyDrivers.name(device: stat.ttyNumber, pid: pid, target: target)),
            OVALItemField("user_id", String(ids.euid), datatype: .int),
            OVALItemField("exec_shield", execShield(pid: pid) ? "true" : "false", datatype: .boolean),
            OVALItemField("loginuid", String(loginUID(pid: pid)), datatype: .int),
        ]
        for cap in capabilities(pid: pid) { fields.append(OVALItemField("posix_capability", cap)) }
        if let label = selinuxType(pid: pid) { fields.append(OVALItemField("selinux_domain_label", label)) }
        fields.append(OVALItemField("session_id", String(stat.session), datatype: .int))
        return OVALItem(fields: fields)
    }

    /// `[D-]HH:MM:SS`.
    static func formatDuration(_ seconds: UInt64) -> String {
        let s = seconds % 60, m = seconds / 60 % 60, h = seconds / 3600 % 24, d = seconds / 86400
        let hms = String(format: "%02llu:%02llu:%02llu", h, m, s)
        return d > 0 ? "\(d)-\(hms)" : hms
    }

    /// `HH:MM:SS` local time when the process started today, else `Mon_DD`.
    func startTime(_ stat: ProcessStat) -> String {
        var nowValue = now
        var today = tm()
        localtime_r(&nowValue, &today)
        var started = time_t(bitPattern: UInt(truncatingIfNeeded: bootTime &+ stat.startTicks / ticks))
        var when = tm()
        localtime_r(&started, &when)
        let format = (today.tm_yday != when.tm_yday || today.tm_year != when.tm_year) ? "%b_%d" : "%H:%M:%S"
        var buffer = [CChar](repeating: 0, count: 32)
        let n = strftime(&buffer, buffer.count, format, &when)
        return String(decoding: buffer.prefix(n).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// OpenSCAP's names for scheduling policies.
    func schedulingClass(pid: Int, stat: ProcessStat) -> String {
        let policy = target.can(.runtimeState) ? sched_getscheduler(pid_t(pid)) : stat.policy
        switch policy {
        case 0: return "TS"   // SCHED_OTHER
        case 3: return "B"    // SCHED_BATCH
        case 5: return "#5"   // SCHED_IDLE
        case 1: return "FF"   // SCHED_FIFO
        case 2: return "RR"   // SCHED_RR
        default: return "?"   // SCHED_DEADLINE, reset-on-fork, errors
        }
    }

    /// Real and effective uid from the `Uid:` line of `/proc/PID/status` (-1 when unknown).
    func userIDs(pid: Int) -> (ruid: Int32, euid: Int32) {
        guard let text = target.readText("/proc/\(pid)/status") else { return (-1, -1) }
        for line in text.split(separator: "\n").dropFirst() where line.hasPrefix("Uid:") {
            let parts = line.dropFirst(4).split(whereSeparator: { $0 == " " || $0 == "\t" })
            func value(_ i: Int) -> Int32 {
                guard i < parts.count, let v = Int64(parts[i]) else { return -1 }
                return Int32(truncatingIfNeeded: v)
            }
            return (value(0), value(1))
        }
        return (-1, -1)
    }

    /// `/proc/PID/loginuid`, or 4294967295 (the unset value) when it cannot be read.
    /// Not `CNumber`: no digits, a sign or a value past 32 bits is the unset value here,
    /// where `strtoul` would give 0 or wrap.
    func loginUID(pid: Int) -> UInt32 {
        let text = target.readText("/proc/\(pid)/loginuid") ?? ""
        let digits = text.drop { $0 == " " || $0 == "\n" || $0 == "\t" }.prefix { $0.isASCII && $0.isNumber }
        return UInt32(digits) ?? UInt32.max
    }

    /// Names of the effective capabilities that OVAL 5.11 knows, in capability order.
    func capabilities(pid: Int) -> [String] {
        guard let text = target.readText("/proc/\(pid)/status") else { return [] }
        for line in text.split(separator: "\n") where line.hasPrefix("CapEff:") {
            let hex = line.dropFirst(7).trimmingCharacters(in: .whitespaces)
            guard let mask = UInt64(hex, radix: 16) else { return [] }
            return ProcessReader.capabilityNames.enumerated()
                .filter { mask & (UInt64(1) << UInt64($0.offset)) != 0 }
                .map { $0.element }
        }
        return []
    }

    /// Linux capability names by number, as far as the OVAL 5.11 enumeration goes.
    static let capabilityNames = [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
        "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
        "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER",
        "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT",
        "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME",
        "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL",
        "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM",
        "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ",
    ]

    /// Exec shield as OpenSCAP guesses it from `/proc/PID/maps`: the last anonymous
    /// writable mapping decides (executable with a non-zero offset: off).
    func execShield(pid: Int) -> Bool {
        guard let text = target.readText("/proc/\(pid)/maps") else { return false }
        return ProcessReader.execShield(maps: text)
    }

    static func execShield(maps text: String) -> Bool {
        var status = -1
        for line in text.split(separator: "\n") {
            let t = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard t.count == 5, t[1].hasPrefix("rw"), t[1].count > 2,
                  t[0].split(separator: "-").count == 2,
                  let offset = UInt64(t[2], radix: 16),
                  t[3].contains(":"), UInt64(t[4]) != nil else { continue }
            let exec = t[1].dropFirst(2).first == "x"
            status = (exec && offset != 0) ? 0 : 1
        }
        return status > 0
    }

    /// The type part of the process's SELinux context, when SELinux is enabled.
    func selinuxType(pid: Int) -> String? {
        guard target.fileInfo("/sys/fs/selinux/enforce") != nil,
              let raw = target.readText("/proc/\(pid)/attr/current") else { return nil }
        let context = raw.trimmingCharacters(in: CharacterSet(charactersIn: "\0\n"))
        let parts = context.split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count >= 3, parts.prefix(3).allSatisfy({ !$0.isEmpty && !$0.contains(" ") }) else { return nil }
        return String(parts[2])
    }
}

/// Terminal names for `tty_nr` device numbers, found the way OpenSCAP's `dev_to_tty`
/// finds them: `/proc/tty/drivers`, the process's stderr, well-known majors, fd 255.
/// (The "low-density serial" major 204 table is not included: those report "?".)
struct TTYDrivers: Sendable {
    struct Driver: Sendable {
        var name: String
        var devfs: Bool
        var major: UInt32
        var minors: ClosedRange<UInt32>
    }
    /// Drivers in the order OpenSCAP tries them (the file's last line first).
    var drivers: [Driver]

    static func load(_ context: ProbeContext) -> TTYDrivers {
        context.cache.value("process58.ttyDrivers") {
            TTYDrivers(drivers: parse(context.target.readText("/proc/tty/drivers") ?? ""))
        }
    }

    static func parse(_ text: String) -> [Driver] {
        var out: [Driver] = []
        for line in text.split(separator: "\n") {
            guard let r = line.range(of: " /dev/") else { continue }
            let cols = line[r.upperBound...].split(separator: " ", omittingEmptySubsequences: true)
            guard cols.count >= 3, let major = UInt32(cols[1].prefix { $0.isNumber }) else { continue }
            var name = String(cols[0])
            var devfs = false
            if name.count >= 3 && name.hasSuffix("%d") { name.removeLast(2); devfs = true }
            name = String(name.prefix(15))
            let bounds = cols[2].split(separator: "-").map { UInt32($0) }
            guard let first = bounds.first ?? nil else { continue }
            let last = bounds.count > 1 ? (bounds[1] ?? first) : first
            guard first <= last else { continue }
            out.append(Driver(name: name, devfs: devfs, major: major, minors: first...last))
        }
        return out.reversed()
    }

    static func major(_ dev: UInt32) -> UInt32 { (dev >> 8) & 0xfff }
    static func minor(_ dev: UInt32) -> UInt32 { (dev & 0xff) | ((dev & 0xfff0_0000) >> 12) }

    /// The name of terminal `device` for process `pid`, without `/dev/`, or "?".
    func name(device: UInt32, pid: Int, target: Target) -> String {
        guard device != 0 else { return "?" }
        let maj = TTYDrivers.major(device), min = TTYDrivers.minor(device)
        let found = driverPath(maj, min, target)
            ?? linkPath(maj, min, pid, "fd/2", target)
            ?? guessPath(maj, min, target)
            ?? linkPath(maj, min, pid, "fd/255", target)
        guard var path = found else { return "?" }
        if path.hasPrefix("/dev/") && path.count > 5 { path.removeFirst(5) }
        return String(decoding: path.utf8.map { $0 <= 0x20 || $0 > 126 ? UInt8(ascii: "?") : $0 }, as: UTF8.self)
    }

    /// Whether `path` in the target is the character device maj:min.
    private func isDevice(_ path: String, _ maj: UInt32, _ min: UInt32, _ target: Target) -> Bool {
        guard let info = target.fileInfo(path) else { return false }
        let dev = info.specialDevice
        return TTYDrivers.major(dev) == maj && TTYDrivers.minor(dev) == min
    }

    private func driverPath(_ maj: UInt32, _ min: UInt32, _ target: Target) -> String? {
        guard let d = drivers.first(where: { $0.major == maj && $0.minors.contains(min) }) else { return nil }
        var path = "/dev/\(d.name)\(min)"
        if !exists(path, target) {
            if d.devfs { return nil }
            path = "/dev/\(d.name)"
            if !exists(path, target) { return nil }
        }
        return isDevice(path, maj, min, target) ? path : nil
    }

    private func exists(_ path: String, _ target: Target) -> Bool {
        target.fileInfo(path) != nil
    }

    private func linkPath(_ maj: UInt32, _ min: UInt32, _ pid: Int, _ fd: String, _ target: Target) -> String? {
        guard let dest = target.readLink("/proc/\(pid)/\(fd)") else { return nil }
        let path = String(decoding: dest.utf8.prefix(127), as: UTF8.self)
        return isDevice(path, maj, min, target) ? path : nil
    }

    private func guessPath(_ maj: UInt32, _ min: UInt32, _ target: Target) -> String? {
        let path: String
        switch maj {
        case 3:
            guard min <= 255 else { return nil }
            let a = Array("pqrstuvwxyzabcde"), b = Array("0123456789abcdef")
            path = "/dev/tty\(a[Int(min >> 4)])\(b[Int(min & 0x0f)])"
        case 4: path = min < 64 ? "/dev/tty\(min)" : "/dev/ttyS\(min - 64)"
        case 136...143: path = "/dev/pts/\(min + (maj - 136) * 256)"
        case 156: path = "/dev/ttySR\(min + 256)"
        case 227: path = "/dev/3270/tty\(min)"
        case 229: path = "/dev/iseries/vtty\(min)"
        default:
            guard let prefix = TTYDrivers.wellKnown[maj] else { return nil }
            path = "/dev/tty\(prefix)\(min)"
        }
        return isDevice(path, maj, min, target) ? path : nil
    }

    /// Majors whose devices are `/dev/tty<prefix><minor>` (from Linux's devices.txt).
    static let wellKnown: [UInt32: String] = [
        11: "B", 17: "H", 19: "C", 22: "D", 23: "D", 24: "E", 32: "X", 43: "I", 46: "R", 48: "L",
        57: "P", 71: "F", 75: "W", 78: "M", 105: "V", 112: "M", 148: "T", 154: "SR", 164: "CH",
        166: "ACM", 172: "MX", 174: "SI", 188: "USB", 208: "U", 216: "UB", 224: "Y", 256: "EQ",
    ]
}
