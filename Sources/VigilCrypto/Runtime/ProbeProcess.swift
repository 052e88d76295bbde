import CVigilSystem
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A short-lived helper process run with a time limit: spawned directly (`posix_spawn`,
/// never a shell) in its own process group with stdin from /dev/null, its stdout and
/// stderr collected, and the whole group killed when the limit passes.
struct ProbeProcess {
    /// How the process ended.
    enum Ending: Equatable, Sendable {
        case exited(Int32)
        case signaled(Int32)
        case timedOut
    }

    /// What the process did: how it ended and what it wrote (each stream cut at `outputLimit`).
    struct Outcome: Sendable {
        var ending: Ending
        var stdout: [UInt8]
        var stderr: [UInt8]
        /// Whether a stream was longer than `outputLimit`.
        var truncated: Bool
    }

    /// Bytes kept per stream; more is read and dropped so the process never blocks on a full pipe.
    static let outputLimit = 1 << 20

    let executable: String
    let arguments: [String]
    let environment: [String: String]
    let timeLimit: Double

    /// Runs the process; throws a message when it cannot even be started.
    func run() throws -> Outcome {
        var out: [Int32] = [-1, -1], err: [Int32] = [-1, -1]
        guard vigil_pipe_cloexec(&out) == 0 else { throw ProbeFailure("cannot create a pipe: \(String(cString: strerror(errno)))") }
        guard vigil_pipe_cloexec(&err) == 0 else {
            close(out[0]); close(out[1])
            throw ProbeFailure("cannot create a pipe: \(String(cString: strerror(errno)))")
        }
        let started = spawn(stdout: out[1], stderr: err[1])
        close(out[1]); close(err[1])
        defer { close(out[0]); close(err[0]) }
        let pid = try started.get()
        return collect(pid: pid, stdout: out[0], stderr: err[0])
    }

    /// posix_spawn with stdout and stderr on the pipes' write ends, default signal handling,
    /// an empty signal mask and a process group of its own.
    private func spawn(stdout: Int32, stderr: Int32) -> Result<pid_t, ProbeFailure> {
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer { posix_spawn_file_actions_destroy(&actions); posix_spawnattr_destroy(&attributes) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout, 1)
        posix_spawn_file_actions_adddup2(&actions, stderr, 2)
        var all = sigset_t(), none = sigset_t()
        sigfillset(&all)
        sigemptyset(&none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard status == 0 else {
            return .failure(ProbeFailure("cannot start \(executable): \(String(cString: strerror(status)))"))
        }
        return .success(pid)
    }

    /// Reads both pipes until they close and the process ends, or until the time limit,
    /// when the process group is killed.
    private func collect(pid: pid_t, stdout: Int32, stderr: Int32) -> Outcome {
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(timeLimit * 1e9)
        var streams = [PipeReader(fd: stdout), PipeReader(fd: stderr)]
        var ending: Ending?
        while true {
            if ending == nil, let status = Self.reap(pid, wait: false) {
                ending = status
                kill(-pid, SIGKILL)  // what it left behind in its group
            }
            let open = streams.indices.filter { !streams[$0].closed }
            if ending != nil, open.isEmpty { break }
            let now = DispatchTime.now().uptimeNanoseconds
            if now >= deadline {
                kill(-pid, SIGKILL)
                if ending == nil { _ = Self.reap(pid, wait: true) }
                ending = .timedOut
                break
            }
            let wait = Int32(min((deadline - now) / 1_000_000 + 1, open.isEmpty ? 2 : 50))
            var fds = open.map { pollfd(fd: streams[$0].fd, events: Int16(POLLIN), revents: 0) }
            let ready = poll(&fds, nfds_t(fds.count), wait)
            guard ready > 0 else { continue }
            for (i, index) in open.enumerated() where fds[i].revents != 0 { streams[index].read() }
        }
        return Outcome(ending: ending ?? .timedOut, stdout: streams[0].data, stderr: streams[1].data,
                       truncated: streams.contains { $0.truncated })
    }

    /// The process's ending once it has ended (waiting for it when `wait`), else nil.
    private static func reap(_ pid: pid_t, wait: Bool) -> Ending? {
        var status: Int32 = 0
        while true {
            let r = waitpid(pid, &status, wait ? 0 : WNOHANG)
            if r == -1, errno == EINTR { continue }
            guard r == pid else { return r == -1 ? .exited(-1) : nil }
            break
        }
        let low = status & 0x7f
        if low == 0 { return .exited((status >> 8) & 0xff) }
        return .signaled(low)
    }
}

/// One pipe's read end and what came out of it.
private struct PipeReader {
    let fd: Int32
    var data: [UInt8] = []
    var closed = false
    var truncated = false

    init(fd: Int32) { self.fd = fd }

    mutating func read() {
        var buffer = [UInt8](repeating: 0, count: 65536)
        let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        if n < 0 && (errno == EINTR || errno == EAGAIN) { return }
        guard n > 0 else { closed = true; return }
        let room = max(0, ProbeProcess.outputLimit - data.count)
        if n > room { truncated = true }
        data += buffer.prefix(min(n, room))
    }
}

/// Why a runtime probe gave no answer: the message names the cause (not found, signal,
/// time limit, exit status, unreadable output).
struct ProbeFailure: Error, Sendable, Equatable, CustomStringConvertible {
    var message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}
