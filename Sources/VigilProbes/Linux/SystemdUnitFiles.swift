/// systemd units as the unit files of an offline root describe them: what Vigil's
/// systemd probes answer from when the target is not a running system.
///
/// What is read (paths inside the target, highest priority first):
/// `/etc/systemd/system`, `/run/systemd/system`, `/usr/local/lib/systemd/system`,
/// `/usr/lib/systemd/system`, `/lib/systemd/system`. A unit's fragment is the first file
/// of its name in that order; `name.d/*.conf` drop-ins are applied in file-name order
/// (a drop-in name in a higher-priority directory hides the same name below). A unit
/// whose first entry is a link to `/dev/null` (or an empty file) is masked. A link to a
/// unit file of another name is an alias of that unit. Instances (`getty@tty1.service`)
/// named in `.wants/` or `.requires/` directories use their template (`getty@.service`).
///
/// What is known per unit: the `[Unit]` and `[Install]` settings, the units listed in
/// `NAME.wants/` and `NAME.requires/` directories, and from these the properties in
/// `supportedProperties`. Runtime state (ActiveState, SubState, MainPID, timestamps...)
/// and the implicit dependencies systemd adds when it loads units (DefaultDependencies,
/// generators such as fstab's mount units) are not known.
package struct SystemdUnitFiles: Sendable {
    /// Unit search directories, highest priority first.
    package static let searchPaths = [
        "/etc/systemd/system", "/run/systemd/system", "/usr/local/lib/systemd/system",
        "/usr/lib/systemd/system", "/lib/systemd/system",
    ]
    /// Directories whose links make a unit "enabled" (not vendor directories).
    static let configPaths = ["/etc/systemd/system", "/run/systemd/system"]

    /// Unit name suffixes systemd knows.
    static let unitSuffixes = [".service", ".socket", ".target", ".timer", ".mount", ".automount",
                               ".path", ".slice", ".scope", ".swap", ".device"]

    /// Properties this model can answer, in the order they are reported.
    package static let supportedProperties = [
        "Id", "Names", "Requires", "Requisite", "Wants", "BindsTo", "PartOf", "RequiredBy",
        "WantedBy", "Conflicts", "Before", "After", "OnFailure", "Documentation",
        "Description", "LoadState", "FragmentPath", "DropInPaths", "UnitFileState",
    ]

    /// One unit known from the files.
    package struct Unit: Sendable, Equatable {
        package var name: String
        /// The file it was loaded from (the link itself for a masked unit).
        package var fragmentPath: String
        package var masked: Bool
        package var dropInPaths: [String]
        /// Settings by section name then key, each assignment's value in order.
        package var settings: [String: [String: [String]]]
        /// Names of links to this unit under other names.
        package var aliases: [String]
    }

    /// Loaded units by name (aliases excluded: they resolve to their unit).
    package private(set) var units: [String: Unit] = [:]
    /// Alias name → unit name.
    package private(set) var aliasTargets: [String: String] = [:]
    /// Unit name → names linked in its `.wants/` directories (priority order, no repeats).
    package private(set) var wantsDirectories: [String: [String]] = [:]
    /// Unit name → names linked in its `.requires/` directories.
    package private(set) var requiresDirectories: [String: [String]] = [:]
    /// Units linked from a `.wants/` or `.requires/` directory under /etc or /run.
    private var enabledBy: Set<String> = []

    /// Reads the unit files of `target`.
    package init(target: Target) {
        var firstEntry: [String: String] = [:]          // name → directory it was first seen in
        for dir in SystemdUnitFiles.searchPaths {
            for name in (target.listDirectory(dir) ?? []).sorted() {
                let path = dir + "/" + name
                if name.hasSuffix(".wants") || name.hasSuffix(".requires") {
                    let isWants = name.hasSuffix(".wants")
                    let owner = String(name.dropLast(isWants ? 6 : 9))
                    for linked in (target.listDirectory(path) ?? []).sorted() where SystemdUnitFiles.isUnitName(linked) {
                        if isWants {
                            if !(wantsDirectories[owner]?.contains(linked) ?? false) { wantsDirectories[owner, default: []].append(linked) }
                        } else if !(requiresDirectories[owner]?.contains(linked) ?? false) {
                            requiresDirectories[owner, default: []].append(linked)
                        }
                        if SystemdUnitFiles.configPaths.contains(dir) {
                            let dest = target.readLink(path + "/" + linked).map { SystemdUnitFiles.baseName($0) } ?? linked
                            enabledBy.insert(linked)
                            enabledBy.insert(dest)
                            enabledBy.insert(SystemdUnitFiles.templateName(dest) ?? dest)
                        }
                    }
                    continue
                }
                guard SystemdUnitFiles.isUnitName(name), firstEntry[name] == nil else { continue }
                firstEntry[name] = dir
            }
        }
        for (name, dir) in firstEntry.sorted(by: { $0.key < $1.key }) {
            let path = dir + "/" + name
            if let link = target.readLink(path) {
                if link == "/dev/null" {
                    units[name] = Unit(name: name, fragmentPath: path, masked: true, dropInPaths: [], settings: [:], aliases: [])
                    continue
                }
                let dest = SystemdUnitFiles.baseName(link)
                if dest != name, SystemdUnitFiles.isUnitName(dest) {
                    aliasTargets[name] = dest
                    continue
                }
            }
            guard let info = target.fileInfo(path), info.isRegular, let text = target.readText(path) else { continue }
            if info.size == 0 {
                units[name] = Unit(name: name, fragmentPath: path, masked: true, dropInPaths: [], settings: [:], aliases: [])
                continue
            }
            units[name] = load(name: name, fragment: path, text: text, target: target)
        }
        // Instances named in dependency directories load from their templates.
        let linkedNames = Set(wantsDirectories.values.joined()).union(requiresDirectories.values.joined())
        for name in linkedNames.sorted() where units[name] == nil && aliasTargets[name] == nil {
            guard let template = SystemdUnitFiles.templateName(name), let t = units[template] else { continue }
            var instance = t
            instance.name = name
            instance.aliases = []
            units[name] = instance
        }
        for (alias, dest) in aliasTargets.sorted(by: { $0.key < $1.key }) {
            units[dest]?.aliases.append(alias)
        }
    }

    private func load(name: String, fragment: String, text: String, target: Target) -> Unit {
        var settings: [String: [String: [String]]] = [:]
        SystemdUnitFiles.apply(text, to: &settings)
        var dropIns: [String: String] = [:]                 // file name → path (highest priority wins)
        var names = [name]
        if let template = SystemdUnitFiles.templateName(name) { names.append(template) }
        for unitName in names.reversed() {
            for dir in SystemdUnitFiles.searchPaths.reversed() {
                let d = dir + "/" + unitName + ".d"
                for file in (target.listDirectory(d) ?? []) where file.hasSuffix(".conf") {
                    dropIns[file] = d + "/" + file
                }
            }
        }
        var paths: [String] = []
        for file in dropIns.keys.sorted() {
            guard let path = dropIns[file], let text = target.readText(path) else { continue }
            SystemdUnitFiles.apply(text, to: &settings)
            paths.append(path)
        }
        return Unit(name: name, fragmentPath: fragment, masked: false, dropInPaths: paths, settings: settings, aliases: [])
    }

    /// Applies one unit file's assignments: lines `Key=value` under `[Section]`,
    /// `#`/`;` comments, trailing `\` continuations. An empty list assignment resets.
    static func apply(_ text: String, to settings: inout [String: [String: [String]]]) {
        var section = ""
        var pending = ""
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = String(raw)
            if line.hasSuffix("\r") { line.removeLast() }
            if !pending.isEmpty {
                line = pending + " " + line.drop { $0 == " " || $0 == "\t" }
                pending = ""
            }
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix(";") { continue }
            if trimmed.hasSuffix("\\") {
                pending = String(trimmed.dropLast())
                continue
            }
            if trimmed.hasPrefix("[") && trimmed.hasSuffix("]") {
                section = String(trimmed.dropFirst().dropLast())
                continue
            }
            guard let eq = trimmed.firstIndex(of: "=") else { continue }
            let key = String(trimmed[trimmed.startIndex..<eq]).trimmingBlanks()
            let value = String(trimmed[trimmed.index(after: eq)...]).trimmingBlanks()
            if value.isEmpty {
                settings[section, default: [:]][key] = []
            } else {
                settings[section, default: [:]][key, default: []].append(value)
            }
        }
    }

    /// The unit a name refers to (following an alias), if any.
    package func unit(_ name: String) -> Unit? {
        units[aliasTargets[name] ?? name]
    }

    /// Names of the units this model lists (aliases excluded), sorted.
    /// Templates (`getty@.service`) are not units of their own and are not listed.
    package var unitNames: [String] { units.keys.filter { !$0.contains("@.") }.sorted() }

    /// Space-separated list values of a `[Unit]` setting, in order.
    func listSetting(_ unit: Unit, _ key: String) -> [String] {
        var out: [String] = []
        for value in unit.settings["Unit"]?[key] ?? [] {
            for word in value.split(whereSeparator: { $0 == " " || $0 == "\t" }) where !out.contains(String(word)) {
                out.append(String(word))
            }
        }
        return out
    }

    /// Units `name` requires (`Requires=` plus `.requires/` links).
    package func requires(_ name: String) -> [String] {
        guard let u = unit(name) else { return [] }
        return merge(listSetting(u, "Requires"), requiresDirectories[u.name] ?? requiresDirectories[SystemdUnitFiles.templateName(u.name) ?? ""] ?? [])
    }

    /// Units `name` wants (`Wants=` plus `.wants/` links).
    package func wants(_ name: String) -> [String] {
        guard let u = unit(name) else { return [] }
        return merge(listSetting(u, "Wants"), wantsDirectories[u.name] ?? wantsDirectories[SystemdUnitFiles.templateName(u.name) ?? ""] ?? [])
    }

    private func merge(_ a: [String], _ b: [String]) -> [String] {
        var out = a
        for x in b where !out.contains(x) { out.append(x) }
        return out
    }

    /// The unit's file state as `systemctl is-enabled` reports it: masked, enabled (linked
    /// from a `.wants/`/`.requires/` directory under /etc or /run), disabled (has
    /// `WantedBy=`, `RequiredBy=`, `UpheldBy=` or `Alias=` but is not linked), indirect
    /// (only `Also=`), or static.
    package func unitFileState(_ u: Unit) -> String {
        if u.masked { return "masked" }
        if enabledBy.contains(u.name) { return "enabled" }
        let install = u.settings["Install"] ?? [:]
        let keys = ["WantedBy", "RequiredBy", "UpheldBy", "Alias"]
        if keys.contains(where: { !(install[$0] ?? []).isEmpty }) { return "disabled" }
        if !(install["Also"] ?? []).isEmpty { return "indirect" }
        return "static"
    }

    /// The properties of a unit this model knows, in `supportedProperties` order; list
    /// properties have one value per element and are left out when empty (as OpenSCAP
    /// reports D-Bus arrays).
    package func properties(_ name: String) -> [(name: String, values: [String])] {
        guard let u = unit(name) else { return [] }
        var out: [(String, [String])] = []
        func add(_ property: String, _ values: [String]) {
            if !values.isEmpty { out.append((property, values)) }
        }
        let reverseWants = units.keys.sorted().filter { wants($0).contains(u.name) }
        let reverseRequires = units.keys.sorted().filter { requires($0).contains(u.name) }
        for property in SystemdUnitFiles.supportedProperties {
            switch property {
            case "Id": add(property, [u.name])
            case "Names": add(property, [u.name] + u.aliases)
            case "Requires": add(property, requires(u.name))
            case "Wants": add(property, wants(u.name))
            case "RequiredBy": add(property, reverseRequires)
            case "WantedBy": add(property, reverseWants)
            case "Description": add(property, [u.settings["Unit"]?["Description"]?.last ?? u.name])
            case "LoadState": add(property, [u.masked ? "masked" : "loaded"])
            case "FragmentPath": add(property, [u.fragmentPath])
            case "DropInPaths": add(property, u.dropInPaths)
            case "UnitFileState": add(property, [unitFileState(u)])
            case "Documentation": add(property, listSetting(u, property))
            default: add(property, listSetting(u, property))
            }
        }
        return out
    }

    static func isUnitName(_ name: String) -> Bool {
        unitSuffixes.contains { name.hasSuffix($0) && name.count > $0.count }
    }

    /// `getty@tty1.service` → `getty@.service`; nil for names that are not instances.
    static func templateName(_ name: String) -> String? {
        guard let at = name.firstIndex(of: "@"), let dot = name.lastIndex(of: "."), at < dot else { return nil }
        let instance = name[name.index(after: at)..<dot]
        guard !instance.isEmpty else { return nil }
        return String(name[...at]) + String(name[dot...])
    }

    static func baseName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    fileprivate func trimmingBlanks() -> String {
        var s = Substring(self)
        while s.first == " " || s.first == "\t" { s = s.dropFirst() }
        while s.last == " " || s.last == "\t" { s = s.dropLast() }
        return String(s)
    }
}
