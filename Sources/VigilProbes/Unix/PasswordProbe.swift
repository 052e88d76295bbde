import VigilOVAL

/// `password_object` (unix): the accounts of `/etc/passwd` whose name matches
/// `username`, with their last login from `/var/log/lastlog`.
///
/// OpenSCAP reads the file with `fgetpwent` on an offline root and with `getpwent`
/// (NSS) on the live host; Vigil always reads the target's `/etc/passwd`, so on a
/// live host accounts that only NSS modules (LDAP, sssd, systemd) provide are absent.
package struct PasswordProbe: Probe {
    package init() {}

    package var objectTypes: [String] { ["password_object"] }

    package func collect(_ object: ResolvedObject, context: ProbeContext) -> CollectedObject {
        guard let username = object.entity("username") else {
            return .error("password_object has no username entity")
        }
        let table = AccountFiles.passwd(context)
        if let error = table.error { return .error(error) }
        let items = table.entries
            .filter { username.matches($0.name) }
            .map { item(for: $0, target: context.target) }
        return .found(items)
    }

    /// The item for one entry; fields glibc leaves NULL are left out, as OpenSCAP does.
    func item(for entry: PasswdEntry, target: Target) -> OVALItem {
        var fields = [OVALItemField("username", entry.name)]
        if let p = entry.password { fields.append(OVALItemField("password", p)) }
        fields.append(OVALItemField("user_id", String(entry.uid), datatype: .int))
        fields.append(OVALItemField("group_id", String(entry.gid), datatype: .int))
        if let g = entry.gecos { fields.append(OVALItemField("gcos", g)) }
        if let h = entry.home { fields.append(OVALItemField("home_dir", h)) }
        if let s = entry.shell { fields.append(OVALItemField("login_shell", s)) }
        let lastLogin = AccountFiles.lastLogin(uid: entry.uid, target: target)
        fields.append(OVALItemField("last_login", String(lastLogin), datatype: .int))
        return OVALItem(fields: fields)
    }
}
