import Foundation

/// Everything that decides one scan, as a user states it: what to evaluate, against what,
/// and where its results go. `ScanSession` checks and runs it.
public struct ScanOptions: Sendable {
    /// A data stream, XCCDF benchmark or rule folder; nil chooses the default content for
    /// the scanned system (see `DefaultContent`).
    public var content: String?
    /// A profile id or short name; "all" evaluates every rule; nil the benchmark's selection.
    public var profile: String?
    /// Evaluate only these rules (`--rule`), whatever the profile selects.
    public var rules: [String] = []
    /// Leave these rules out (`--skip-rule`): they are `notselected`.
    public var skipRules: [String] = []
    /// With no content, on a Kubernetes node: also scan Vigil's Kubernetes benchmark
    /// (`DefaultKubernetesContent`); false is `--no-kubernetes`.
    public var kubernetes = true
    /// The Kubernetes benchmark's folder; nil: found as `DefaultKubernetesContent.folder()` finds it.
    public var kubernetesRules: String?
    /// An XCCDF 1.2 tailoring file.
    public var tailoring: String?
    /// An offline root directory to scan; nil scans the live host.
    public var root: String?
    /// An image to scan (`--image REF`: `oci:DIR[:TAG]`, `oci-archive:FILE[:TAG]`,
    /// `docker-archive:FILE[:NAME[:TAG]]`, `rootfs:FILE`); excludes `root`.
    public var image: String?
    /// The platform to pick from a multi-platform image (`--platform os/arch[/variant]`);
    /// nil: the scanning machine's.
    public var platform: String?
    /// The name an image's scans are kept under (`--image-name`); nil: the image's own name.
    public var imageName: String?
    /// Rules evaluated at once.
    public var jobs: Int = ProcessInfo.processInfo.activeProcessorCount
    /// A YAML file of waived failures.
    public var waivers: String?
    /// Only failures at or above this severity fail the gate (`--fail-on`), as typed.
    public var failOn: String?
    /// A scan that evaluates no rule passes the gate (`--allow-empty`) instead of exit code 4.
    public var allowEmpty = false
    /// The scan database; nil: the scan is not stored.
    public var store: String?
    /// A PostgreSQL URI the scan is sent to after it is stored in `store`, its journal (`Forwarder`).
    public var forwardTo: String?
    /// Reports to write, each "FORMAT:PATH" as typed (`--report`); "-" is standard output.
    public var reports: [String] = []
    /// XCCDF results to write (`--results FILE`, as oscap spells `--report xccdf:FILE`).
    public var results: String?
    /// Whether the JSON report lists the rules the profile does not select (`--include-notselected`).
    public var includeNotselected = false
    /// The Vigil that runs the scan, as recorded with it.
    public var vigilVersion: String
    /// Record what each rule reads (`ScanOutcome.footprint`), for `ChangeMonitor`.
    public var recordFootprint = false
    /// Evaluate only some rules and carry the others' verdicts over from the previous scan
    /// (`PartialRescan`); nil evaluates every rule.
    public var rescan: PartialRescan?

    public init(vigilVersion: String) {
        self.vigilVersion = vigilVersion
    }
}
