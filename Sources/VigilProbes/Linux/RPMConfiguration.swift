#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import VigilOVAL

/// Whether the rpm probes apply at all: OpenSCAP 1.3.7's rpm probes (`rpminfo`,
/// `rpmverify`, `rpmverifyfile`, `rpmverifypackage`) start by loading librpm's
/// configuration (`rpmReadConfigFiles`), which fails when rpm's main configuration
/// file, `/usr/lib/rpm/rpmrc` (`$RPM_CONFIGDIR/rpmrc` when that is set), cannot be read.
/// Every object of those probes is then flagged `not applicable`, with no items, and
/// tests on them evaluate to `not applicable`.
///
/// OpenSCAP loads that configuration once, when the probe starts and *before* it enters
/// an offline root (`OSCAP_PROBE_ROOT`, chroot mode), so the file that decides is the
/// one of the machine running the scan, live or offline: on a machine without rpm
/// (Debian, Ubuntu) rpm objects are not applicable even on a RHEL root, and on a
/// machine with rpm they are applicable on any root (a root without an rpm database then
/// has no packages: `does not exist`). An rpm database directory without that file, an
/// empty `/var/lib/rpm`, or an rpmrc inside the root changes nothing. Checked with
/// oscap 1.3.7 on Debian 12, live and with `OSCAP_PROBE_ROOT`. Vigil decides the same
/// way, so that verdicts agree with oscap on the same machine.
package enum RPMConfiguration {
    /// rpm's main configuration file on the machine running the scan.
    package static var hostFile: String {
        let dir = ProcessInfo.processInfo.environment["RPM_CONFIGDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/usr/lib/rpm"
        return dir + "/rpmrc"
    }

    /// Whether librpm could load its configuration from `file` (a host path).
    package static func isUsable(_ file: String) -> Bool {
        access(file, R_OK) == 0
    }

    /// The message of an rpm object that is not applicable.
    static func message(_ type: String, _ file: String) -> String {
        "\(type) is not applicable: rpm is not configured on this machine (cannot read \(file))"
    }

    /// `not applicable` for an rpm object when rpm is not usable (decided once per scan),
    /// else nil: collect normally.
    static func notApplicable(_ object: ResolvedObject, file: String, context: ProbeContext) -> CollectedObject? {
        let usable = context.cache.value("rpm.configured:" + file) { isUsable(file) }
        guard !usable else { return nil }
        return CollectedObject(flag: .notApplicable, messages: [message(object.type, file)])
    }
}

/// `rpmverify_object`, `rpmverifyfile_object` and `rpmverifypackage_object` (linux):
/// not applicable where rpm is not configured (`RPMConfiguration`), as in OpenSCAP;
/// elsewhere Vigil does not collect them yet and flags them `error`.
package struct RPMVerifyProbe: Probe {
    package let objectTypes = ["rpmverify_object", "rpmverifyfile_object", "rpmverifypackage_object"]
    /// rpm's configuration file on the machine running the scan.
    package let configurationFile: String

    package init(configurationFile: String = RPMConfiguration.hostFile) {
        self.configurationFile = configurationFile
    }

    package func collect(_ object: ResolvedObject, context: ProbeContext) -> CollectedObject {
        if let na = RPMConfiguration.notApplicable(object, file: configurationFile, context: context) { return na }
        return .error("unsupported object type \(object.type)")
    }
}
