import VigilOVAL

/// `shadow_object` (unix): the entries of `/etc/shadow` whose name matches `username`.
///
/// OpenSCAP reads shadow with `getspent` and has no offline mode for it: on an offline
/// root the object is "not applicable", and Vigil does the same (see `OfflinePolicy`).
package struct ShadowProbe: Probe {
    package init() {}

    package var objectTypes: [String] { ["shadow_object"] }
    /// A running system only: an offline root answers `not applicable` (`OfflinePolicy`).
    package func needs(for objectType: String) -> TargetCapabilities { .runtimeState }

    package func collect(_ object: ResolvedObject, context: ProbeContext) -> CollectedObject {
        guard let username = object.entity("username") else {
            return .error("shadow_object has no username entity")
        }
        return Self.collect(username: username, table: AccountFiles.shadow(context))
    }

    /// Selects and reports the entries of an already read shadow table.
    static func collect(username: ResolvedEntity, table: AccountTable<ShadowEntry>) -> CollectedObject {
        if let error = table.error { return .error(error) }
        return .found(table.entries.filter { username.matches($0.name) }.map(item(for:)))
    }

    /// The item for one entry, with `encrypt_method` where OpenSCAP derives one.
    static func item(for entry: ShadowEntry) -> OVALItem {
        var fields = [OVALItemField("username", entry.name)]
        if let p = entry.password { fields.append(OVALItemField("password", p)) }
        fields.append(OVALItemField("chg_lst", String(entry.lastChange), datatype: .int))
        fields.append(OVALItemField("chg_allow", String(entry.minDays), datatype: .int))
        fields.append(OVALItemField("chg_req", String(entry.maxDays), datatype: .int))
        fields.append(OVALItemField("exp_warn", String(entry.warnDays), datatype: .int))
        fields.append(OVALItemField("exp_inact", String(entry.inactiveDays), datatype: .int))
        fields.append(OVALItemField("exp_date", String(entry.expireDate), datatype: .int))
        fields.append(OVALItemField("flag", String(entry.flag)))
        if let p = entry.password, let method = AccountFiles.encryptMethod(p) {
            fields.append(OVALItemField("encrypt_method", method))
        }
        return OVALItem(fields: fields)
    }
}
