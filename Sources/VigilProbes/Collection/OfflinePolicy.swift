import VigilOVAL

/// What Vigil does with an object whose probe needs what the target cannot answer
/// (`Probe.needs(for:)` against `Target.capabilities`), such as an object describing a
/// *running* system on an offline root (`--root DIR`). `ProbeCollector` applies it, in this
/// one place, before any probe runs; probes only declare their needs.
///
/// The policy is OpenSCAP 1.3.7's, so that verdicts match `oscap` run with
/// `OSCAP_PROBE_ROOT=DIR` (what `oscap-chroot` sets):
///
/// - Every OpenSCAP probe declares which offline modes it supports
///   (`*_probe_offline_mode_supported`). A probe that declares none (uname, sysctl,
///   process, interface, routingtable, shadow, environmentvariable, dnscache,
///   iflisteners, inetlisteningservers, gconf, sql, sql57, isainfo) is not run at all
///   offline: its object gets the flag `not applicable` and no items, and a test on it
///   evaluates to `not applicable` (checked with oscap 1.3.7 on uname and sysctl). Vigil's
///   probes for those types (uname, sysctl, shadow, interface) need `.runtimeState`.
/// - Probes that do support offline mode read the root's files instead of the host's
///   (`environmentvariable58` reads `DIR/proc/PID/environ`, `partition` reads
///   `DIR/proc/mounts`, `process58` reads `DIR/proc`, ...). In Vigil they need nothing and
///   read through the target; where a live system and an image differ (an unreadable
///   `/proc` is an error only on a running system; the scheduler is asked only there) they
///   ask the target for `.runtimeState`. An image without a populated `/proc` yields no
///   items (flag `does not exist`), as in OpenSCAP.
/// - The rpm probes (rpminfo, rpmverify*) load librpm's configuration before entering
///   the root, so whether they apply is decided by the machine running the scan, live
///   and offline (`RPMConfiguration`): on a machine without rpm they are `not
///   applicable` on any root. dpkginfo reads the root's `/var/lib/dpkg/status`; a root
///   without one has no packages (`does not exist`, as oscap's apt lookup gives).
/// - The systemd probes: OpenSCAP asks D-Bus at `DIR/run/dbus/system_bus_socket` and,
///   finding none, flags `not collected` (test `unknown`). `ProbeRegistry` registers
///   Vigil's systemd probes with `offlineUnitFiles: false`: they then need `.systemBus`,
///   and without it the object is `not collected` with OpenSCAP's message, so verdicts
///   agree. With `offlineUnitFiles: true` they need nothing and answer from the root's
///   unit files (see `SystemdUnitFiles`), which a later option may expose.
/// - Any other missing capability (a kind of target added later): `not collected`.
public enum OfflinePolicy {
    /// The message attached to objects that need a running system.
    public static func message(for type: String) -> String {
        "\(type) describes a running system; it is not applicable to an offline root"
    }

    /// The result to report instead of collecting `object`, whose probe `needs` these
    /// capabilities, on `target`; nil when the target has them all (collect normally).
    public static func answer(for object: ResolvedObject, needs: TargetCapabilities,
                              on target: any Target) -> CollectedObject? {
        let missing = needs.subtracting(target.capabilities)
        if missing.isEmpty { return nil }
        if missing.contains(.runtimeState) {
            return CollectedObject(flag: .notApplicable, messages: [message(for: object.type)])
        }
        if missing.contains(.systemBus) {
            return CollectedObject(flag: .notCollected, messages: [SystemdUnitSource.busFailureMessage])
        }
        return CollectedObject(flag: .notCollected,
                               messages: ["\(object.type) cannot be collected from \(target.kind) \(target.label)"])
    }
}
