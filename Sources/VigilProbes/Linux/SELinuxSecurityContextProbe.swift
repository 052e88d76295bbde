import Foundation
import VigilOVAL

/// `selinuxsecuritycontext_object` (linux): the SELinux contexts of files or processes.
///
/// OpenSCAP 1.3.7 collects no item on a host where SELinux is not enabled (the object
/// "does not exist", on a live host and under `OSCAP_PROBE_ROOT` alike: the probe asks the
/// scanning host's kernel, not the scanned root), so a test such as the SCAP Security
/// Guide's "no unconfined_service_t process" is true there. Vigil does the same. Where
/// SELinux is enabled, contexts are not read by Vigil: the object is an error, naming
/// why, so a rule never passes on contexts it did not see.
package struct SELinuxSecurityContextProbe: Probe {
    package var objectTypes: [String] { ["selinuxsecuritycontext_object"] }

    /// Whether SELinux is enabled on the scanning host (by default: its selinuxfs answers
    /// the enforcing mode, as libselinux's `is_selinux_enabled` needs a loaded policy).
    let selinuxEnabled: @Sendable () -> Bool

    package init(selinuxEnabled: @escaping @Sendable () -> Bool = SELinuxSecurityContextProbe.hostHasSELinux) {
        self.selinuxEnabled = selinuxEnabled
    }

    package static let hostHasSELinux: @Sendable () -> Bool = {
        FileManager.default.isReadableFile(atPath: "/sys/fs/selinux/enforce")
    }

    package func collect(_ object: ResolvedObject, context: ProbeContext) -> CollectedObject {
        let byFile = object.entity("filepath") != nil || (object.entity("path") != nil && object.entity("filename") != nil)
        guard byFile || object.entity("pid") != nil else {
            return .error("selinuxsecuritycontext_object needs filepath, path and filename, or pid")
        }
        guard selinuxEnabled() else { return .found([]) }
        return .error("selinuxsecuritycontext_object: SELinux is enabled on this host and Vigil does not read SELinux contexts")
    }
}
