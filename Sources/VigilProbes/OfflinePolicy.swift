import VigilOVAL

/// What Vigil does with objects that describe a *running* system when the target is an
/// offline root (`--root DIR`, `!context.target.isLive`).
///
/// The policy is OpenSCAP 1.3.7's, so that verdicts match `oscap` run with
/// `OSCAP_PROBE_ROOT=DIR` (what `oscap-chroot` sets):
///
/// - Every OpenSCAP probe declares which offline modes it supports
///   (`*_probe_offline_mode_supported`). A probe that declares none (uname, sysctl,
///   process, interface, routingtable, shadow, environmentvariable, dnscache,
///   iflisteners, inetlisteningservers, gconf, sql, sql57, isainfo) is not run at all
///   offline: its object gets the flag `not applicable` and no items, and a test on it
///   evaluates to `not applicable` (checked with oscap 1.3.7 on uname and sysctl).
///   Probes call `notApplicableOffline(_:target:)` first and return its answer when
///   there is one.
/// - Probes that do support offline mode read the root's files instead of the host's
///   (`environmentvariable58` reads `DIR/proc/PID/environ`, `partition` reads
///   `DIR/proc/mounts`, `process58` reads `DIR/proc`, ...). In Vigil that is simply
///   reading through `context.target`: an image without a populated `/proc` yields
///   no items (flag `does not exist`), as in OpenSCAP.
/// - The rpm probes (rpminfo, rpmverify*) load librpm's configuration before entering
///   the root, so whether they apply is decided by the machine running the scan, live
///   and offline (`RPMConfiguration`): on a machine without rpm they are `not
///   applicable` on any root. dpkginfo reads the root's `/var/lib/dpkg/status`; a root
///   without one has no packages (`does not exist`, as oscap's apt lookup gives).
/// - The systemd probes: OpenSCAP asks D-Bus at `DIR/run/dbus/system_bus_socket` and,
///   finding none, flags `not collected` (test `unknown`). `ProbeRegistry` registers
///   Vigil's systemd probes with `offlineUnitFiles: false`, which does the same, so
///   verdicts agree. The probes can instead answer from the root's unit files
///   (`offlineUnitFiles: true`, see `SystemdUnitFiles`), which a later option may expose.
public enum OfflinePolicy {
    /// Object types whose OpenSCAP 1.3.7 probe has no offline mode: flag `not applicable`
    /// on an offline root.
    public static let runtimeOnlyObjectTypes: Set<String> = [
        "uname_object", "sysctl_object", "process_object", "interface_object",
        "routingtable_object", "shadow_object", "environmentvariable_object",
        "dnscache_object", "iflisteners_object", "inetlisteningservers_object",
        "gconf_object", "sql_object", "sql57_object", "isainfo_object",
    ]

    /// The message attached to objects skipped by this policy.
    public static func message(for type: String) -> String {
        "\(type) describes a running system; it is not applicable to an offline root"
    }

    /// Whether objects of `type` are collected on `target`.
    public static func collects(_ type: String, on target: Target) -> Bool {
        target.isLive || !runtimeOnlyObjectTypes.contains(type)
    }

    /// The result to report instead of collecting `object` on `target`: flag
    /// `not applicable` for a runtime-only object type on an offline root, else nil
    /// (collect normally).
    public static func notApplicableOffline(_ object: ResolvedObject, target: Target) -> CollectedObject? {
        guard !collects(object.type, on: target) else { return nil }
        return CollectedObject(flag: .notApplicable, messages: [message(for: object.type)])
    }
}
