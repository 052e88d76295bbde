import ArgumentParser
import Foundation
import VigilEngine
import VigilReports

/// What to scan and where its results go: the options `scan` and `watch` share, mapped
/// to `ScanOptions` in one place.
struct ScanSelectionOptions: ParsableArguments {
    @Argument(help: ArgumentHelp(
        "A SCAP source data stream, an XCCDF 1.2 benchmark, or a folder of Vigil YAML rules.",
        discussion: "Without it: the SCAP Security Guide data stream for the scanned system's OS when one is installed "
            + "(with its 'standard' profile), else Vigil's rules/linux-baseline; on a Kubernetes node (kubeadm, k3s, rke2) "
            + "also Vigil's rules/kubernetes, stored and reported apart (report files named with .kubernetes)."))
    var content: String?

    @Flag(help: "Without CONTENT on a Kubernetes node: do not also scan Vigil's rules/kubernetes.")
    var noKubernetes = false

    @Option(help: "Profile id or short name; 'all' evaluates every rule. Default: the benchmark's own selection.")
    var profile: String?

    @Option(name: .customLong("rule"), help: "Evaluate only this rule (full or short id), whatever the profile selects (repeatable).")
    var rules: [String] = []

    @Option(name: .customLong("skip-rule"), help: "Leave this rule (full or short id) out: it is notselected (repeatable).")
    var skipRules: [String] = []

    @Option(help: "An XCCDF 1.2 tailoring file.")
    var tailoring: String?

    @Option(help: "Scan the file system under DIR (a mounted image) instead of the live host.")
    var root: String?

    @Option(help: ArgumentHelp(
        "Scan a container or OS image, read from its layers (no root, no daemon, nothing unpacked).",
        discussion: "REF is oci:DIR[:TAG] (an OCI image layout), oci-archive:FILE[:TAG], docker-archive:FILE[:NAME[:TAG]] "
            + "(what docker save and podman save write) or rootfs:FILE.tar[.gz|.zst] (a root file-system tarball). "
            + "Scans of one image name form one series for history and drift.",
        valueName: "ref"))
    var image: String?

    @Option(help: ArgumentHelp("With --image: the platform to pick from a multi-platform image (default: this machine's).",
                               valueName: "os/arch[/variant]"))
    var platform: String?

    @Option(help: ArgumentHelp("With --image: the name its scans are kept under (default: the image's own repository name).",
                               valueName: "name"))
    var imageName: String?

    @Option(help: "Write XCCDF 1.2 results (the benchmark with a TestResult) to this file.")
    var results: String?

    @Option(help: "Rules evaluated at once (default: number of cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @OptionGroup var store: StoreOptions
    @OptionGroup var journal: JournalOptions

    @Flag(help: "Do not store the scan.")
    var noStore = false

    @Option(name: .customLong("report"), help: ArgumentHelp(
        "Write a report (repeatable): FORMAT is one of \(ReportFormat.available.map(\.rawValue).joined(separator: ", ")); PATH '-' is standard output.",
        valueName: "format:path"))
    var reports: [String] = []

    @Option(help: "A YAML file of waived failures (rule, reason, owner, expires).")
    var waivers: String?

    @Option(help: ArgumentHelp("Only failures at or above this severity (info, low, medium, high) give exit code 2.", valueName: "severity"))
    var failOn: String?

    @Flag(help: "The JSON report lists the rules the profile does not select (left out by default).")
    var includeNotselected = false

    @Flag(help: "A scan that evaluates no rule (none selected, or every one notapplicable or notchecked) exits 0, not 4.")
    var allowEmpty = false

    /// The scan these options describe; `firstReports` go before `--report`'s (`scan
    /// --format json` puts the JSON report on standard output first).
    func scanOptions(firstReports: [String] = []) -> ScanOptions {
        var options = ScanOptions(vigilVersion: Vigil.configuration.version)
        options.content = content
        options.profile = profile
        options.rules = rules
        options.skipRules = skipRules
        options.tailoring = tailoring
        options.kubernetes = !noKubernetes
        options.root = root
        options.image = image
        options.platform = platform
        options.imageName = imageName
        options.jobs = jobs
        options.waivers = waivers
        options.failOn = failOn
        options.allowEmpty = allowEmpty
        (options.store, options.forwardTo) = noStore ? (nil, nil) : store.scanTarget(journal: journal.journal)
        options.reports = firstReports + reports
        options.results = results
        options.includeNotselected = includeNotselected
        return options
    }
}
