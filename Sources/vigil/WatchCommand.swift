import ArgumentParser
import Foundation
import Logging
import VigilEngine
import VigilWatch

/// `vigil watch`: scans on a schedule in one long-lived process (see `WatchLoop`).
struct Watch: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Scan on a schedule, unattended: store each scan, write reports and metrics, log one line per scan.",
        discussion: """
        Takes every option of scan. The first scan runs at start, then one at each slot of \
        --every or --schedule; scans never overlap (a slot that passes during a scan is \
        skipped and logged). Each scan is stored as scan stores it and compared with the \
        previous scan of its series: the rules that newly fail are its regressions (in \
        the log line and the metrics). Logs go to standard error, one logfmt line per event.

        SIGTERM or SIGINT stops it: the scan in progress finishes and is stored, then it \
        exits 0. A second signal, or the scan still running after --stop-timeout, discards \
        that scan whole (nothing of it is stored) and exits 5.

        \(ExitCodes.table)
        """)

    @OptionGroup var selection: ScanSelectionOptions

    @Option(help: ArgumentHelp("Scan every DURATION: 90s, 15m, 6h, 1d, 1h30m (at least 10s).", valueName: "duration"))
    var every: String?

    @Option(help: ArgumentHelp("Scan at the times a cron expression names, in local time: 5 fields "
        + "(minute hour day-of-month month day-of-week) or @hourly, @daily, @weekly, @monthly.", valueName: "cron"))
    var schedule: String?

    @Option(help: ArgumentHelp("Write latest.json, latest.html and dated copies (vigil-YYYYMMDDTHHMMSSZ.*, UTC) here after each scan.",
                               valueName: "dir"))
    var reportDir: String?

    @Option(help: "Dated copies of each report kept in --report-dir.")
    var keep: Int = 10

    @Option(help: ArgumentHelp("Serve /metrics and /healthz over HTTP on ADDR:PORT (127.0.0.1:9818, [::1]:9818, :9818).",
                               valueName: "addr:port"))
    var metricsListen: String?

    @Option(help: ArgumentHelp("Write the metrics to this file after each scan (node_exporter textfile collector).", valueName: "path"))
    var metricsFile: String?

    @Flag(help: "Also rescan when a file the rules read changes.")
    var onChange = false

    @Flag(help: "Run one scan and exit (0 when it ran and was stored, else 1): for a systemd timer or a CronJob.")
    var once = false

    @Option(help: ArgumentHelp("After SIGTERM, how long the scan in progress may run before it is discarded.", valueName: "duration"))
    var stopTimeout = "60s"

    func validate() throws {
        if every != nil && schedule != nil { throw ValidationError("--every and --schedule cannot be used together") }
        if every == nil && schedule == nil && !once { throw ValidationError("give --every DURATION or --schedule CRON (or --once)") }
    }

    /// The schedule the options name (with `--once` alone, a nominal one: it is never waited on).
    func watchSchedule() throws -> WatchSchedule {
        if let every { return try WatchSchedule(every: every) }
        if let schedule { return try WatchSchedule(cron: schedule) }
        return .every(WatchSchedule.maximumInterval)
    }

    /// How often scans left pending by a database that was down are sent again
    /// (`VIGIL_SYNC_RETRY_SECONDS`, for tests; default 60).
    static var syncRetryInterval: TimeInterval {
        ProcessInfo.processInfo.environment["VIGIL_SYNC_RETRY_SECONDS"].flatMap(TimeInterval.init) ?? 60
    }

    func run() throws {
        let schedule = try watchSchedule()
        let grace = try Int(stopTimeout).map(TimeInterval.init) ?? WatchSchedule.seconds(in: stopTimeout)
        let logger = Logger(label: "vigil.watch") { LogfmtHandler.standardError(label: $0) }
        var reports = try reportDir.map { try ReportDirectory(path: $0, keep: keep) }
        reports?.includeNotselected = selection.includeNotselected
        let metrics = WatchMetrics()
        let options = selection.scanOptions()
        var cycle = WatchCycle(session: ScanSession(options), reportDirectory: reports, metrics: metrics,
                               metricsFile: metricsFile, logger: logger)
        let changes = try onChange ? OnChangeScans(options: options, logger: logger) : nil
        if let changes { cycle.scan = changes.scan }
        defer { changes?.stop() }
        let loop = WatchLoop(schedule: schedule, logger: logger) { [cycle] in cycle.run($0) }
        let retry: PendingSync? = if let destination = options.forwardTo, let journal = options.store {
            PendingSync(destination: destination, journal: journal, logger: logger, interval: Self.syncRetryInterval)
        } else { nil }
        defer { retry?.stop() }
        changes?.attach(loop)
        let server = try metricsListen.map { text in
            let health = loop.health, address = try ListenAddress(text)
            let server = try MetricsServer(address: address, endpoints: .init(metrics: { metrics.text() }, health: { health.problem() }))
            logger.info("metrics listening", metadata: ["event": "listen", "address": "\(address.host)", "port": "\(server.port)"])
            return server
        }
        defer { server?.stop() }
        let signals = StopSignals(loop: loop, grace: grace, logger: logger)
        let ok = withExtendedLifetime(signals) { loop.run(once: once) }
        if once && !ok { throw ExitCode(1) }
    }
}
