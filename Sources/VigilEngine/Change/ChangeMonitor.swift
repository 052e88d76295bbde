import Foundation
import VigilTarget

/// Watches, with inotify, the files a scan's rules read (`ScanFootprint`) and calls
/// `onChange` with the rules a change touched (nil: every rule, after a change to the
/// global footprint or when the kernel lost events), so that they can be evaluated again.
///
/// Changes are debounced: `onChange` is called once the watched directories have been
/// quiet for `quiet` seconds, and at most `maxDelay` seconds after the first change,
/// with every change since. It runs on the monitor's own thread, which otherwise sleeps
/// in `poll(2)` on the inotify descriptor: no polling, no CPU when nothing changes.
/// At most `maxWatches` directories are watched (the shallowest first); changes in the
/// others are left to the scheduled scans (`leftOut`, said through `log`).
public final class ChangeMonitor: @unchecked Sendable {
    /// The default quiet time and longest wait after a change, in seconds, and the most watches.
    public static let defaultQuiet = 0.25
    public static let defaultMaxDelay = 1.0
    public static let defaultMaxWatches = 8192

    private let lock = NSLock()
    private let inotify: Inotify
    private let root: String?
    private let quiet: Double
    private let maxDelay: Double
    private let maxWatches: Int
    private let log: @Sendable (String) -> Void
    private let onChange: @Sendable (Set<String>?) -> Void
    private var footprint: ScanFootprint
    private var wake: [Int32] = [-1, -1]
    private var stopped = false
    private var thread: Thread?
    private var threadID: pthread_t?
    private let started = DispatchSemaphore(value: 0)
    /// Directories watched and left out, as of the last footprint.
    public private(set) var watched = 0
    public private(set) var leftOut = 0

    /// Starts watching the files of `footprint` on the system rooted at `root` (nil or
    /// "/": the live host; else the host directory of an offline root, `--root DIR`).
    public convenience init(footprint: ScanFootprint, root: String?, quiet: Double = ChangeMonitor.defaultQuiet,
                            maxDelay: Double = ChangeMonitor.defaultMaxDelay, maxWatches: Int = ChangeMonitor.defaultMaxWatches,
                            log: @escaping @Sendable (String) -> Void = { _ in },
                            onChange: @escaping @Sendable (Set<String>?) -> Void) throws {
        try self.init(footprint: footprint, root: root, quiet: quiet, maxDelay: maxDelay, maxWatches: maxWatches,
                      log: log, hold: nil, onChange: onChange)
    }

    /// As the public initializer; the monitor's thread reads no event before `hold` is
    /// signalled (tests let the kernel's queue overflow).
    package init(footprint: ScanFootprint, root: String?, quiet: Double, maxDelay: Double, maxWatches: Int,
                 log: @escaping @Sendable (String) -> Void, hold: DispatchSemaphore?,
                 onChange: @escaping @Sendable (Set<String>?) -> Void) throws {
        self.inotify = try Inotify()
        self.root = try root.map(Self.realRoot)
        self.quiet = quiet
        self.maxDelay = maxDelay
        self.maxWatches = maxWatches
        self.log = log
        self.onChange = onChange
        self.footprint = footprint
        guard pipe(&wake) == 0 else { throw ChangeMonitorError.inotify("pipe: " + String(cString: strerror(errno))) }
        for fd in wake { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        rewatch()
        let thread = Thread { [self] in
            lock.withLock { threadID = pthread_self() }
            started.signal()
            hold?.wait()
            loop()
        }
        thread.name = "vigil-change-monitor"
        self.thread = thread
        thread.start()
        started.wait()
    }

    deinit {
        close(wake[0])
        close(wake[1])
    }

    /// The root directory to watch under for `target`: nil for the live host, the root
    /// directory for an offline root; an image cannot be watched.
    public static func root(for target: any Target) throws -> String? {
        switch target.kind {
        case .host: return nil
        case .root: return target.reference
        default: throw ChangeMonitorError.unsupportedTarget(target.kind.rawValue)
        }
    }

    /// Watches the files of a newer footprint (after each scan) instead.
    public func update(footprint: ScanFootprint) {
        lock.withLock { self.footprint = footprint }
        rewatch()
    }

    /// Stops watching; `onChange` is not called after it returns.
    public func stop() {
        let first = lock.withLock { () -> Bool in
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        var byte: UInt8 = 1
        _ = write(wake[1], &byte, 1)
        // Called from `onChange` (the monitor's thread), the loop ends on its return.
        if let id = lock.withLock({ threadID }), pthread_equal(id, pthread_self()) != 0 { return }
        while lock.withLock({ thread != nil }) { usleep(1000) }
    }

    /// CPU time the monitor's thread has used, in seconds (nil once stopped).
    public var threadCPUSeconds: Double? {
        guard let id = lock.withLock({ thread == nil ? nil : threadID }) else { return nil }
        var clock = clockid_t()
        var ts = timespec()
        guard pthread_getcpuclockid(id, &clock) == 0, clock_gettime(clock, &ts) == 0 else { return nil }
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    private func rewatch() {
        let plan = lock.withLock { WatchPlan(footprint: footprint, root: root, limit: maxWatches) }
        let failed = lock.withLock { inotify.watch(plan.directories) }
        lock.withLock {
            watched = inotify.count
            leftOut = plan.leftOut + failed.count
        }
        if plan.leftOut > 0 {
            log("\(plan.leftOut) directories beyond the \(maxWatches) watched are left to the scheduled scans")
        }
        for (dir, reason) in failed.prefix(5) { log("cannot watch \(dir): \(reason)") }
    }

    /// Waits for events, gathers them until quiet (or the longest delay), then reports.
    private func loop() {
        var pending = Set<String>()
        var overflow = false
        var first: Double?, last = 0.0
        while !lock.withLock({ stopped }) {
            var timeout: Int32 = -1
            if let first {
                let now = Self.now()
                timeout = Int32(max(0, min(last + quiet, first + maxDelay) - now) * 1000) + 1
            }
            var fds = [pollfd(fd: inotify.fd, events: Int16(POLLIN), revents: 0), pollfd(fd: wake[0], events: Int16(POLLIN), revents: 0)]
            let n = poll(&fds, 2, timeout)
            if n < 0 && errno != EINTR { log("poll: " + String(cString: strerror(errno))); break }
            if fds[1].revents != 0 { break }
            if fds[0].revents != 0 {
                let batch = lock.withLock { inotify.read() }
                overflow = overflow || batch.overflow
                for path in batch.paths { if let p = WatchPlan.targetPath(path, root: root) { pending.insert(p) } }
                let now = Self.now()
                if first == nil { first = now }
                last = now
                continue
            }
            guard let start = first, Self.now() >= min(last + quiet, start + maxDelay) else { continue }
            report(pending, overflow: overflow)
            pending = []
            overflow = false
            first = nil
        }
        lock.withLock { thread = nil }
    }

    /// Calls `onChange` with the rules `paths` touch (when any), then watches again what
    /// the changes may have created or removed.
    private func report(_ paths: Set<String>, overflow: Bool) {
        let touched: Set<String>? = overflow ? nil : lock.withLock { footprint.rules(touchedBy: paths) }
        if overflow { log("the kernel's inotify queue overflowed: every rule is evaluated again") }
        if touched.map({ !$0.isEmpty }) ?? true, !lock.withLock({ stopped }) { onChange(touched) }
        rewatch()
    }

    private static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    private static func realRoot(_ root: String) throws -> String {
        guard let real = realpath(root, nil) else { throw ChangeMonitorError.root(root, String(cString: strerror(errno))) }
        defer { free(real) }
        let path = String(cString: real)
        return path == "/" ? "/" : path
    }
}

/// Why a `ChangeMonitor` cannot watch.
public enum ChangeMonitorError: Error, CustomStringConvertible, Sendable {
    case inotify(String)
    case root(String, String)
    case unsupportedTarget(String)

    public var description: String {
        switch self {
        case .inotify(let reason): return "cannot watch for changes: \(reason)"
        case .root(let root, let reason): return "cannot watch for changes under \(root): \(reason)"
        case .unsupportedTarget(let kind):
            return "--on-change watches the files of the live host or of an offline root (--root), not a target of kind \(kind) (an image does not change): scan it on a schedule"
        }
    }
}
