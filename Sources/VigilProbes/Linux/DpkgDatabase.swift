/// The packages of a dpkg status file (`/var/lib/dpkg/status`) as apt's cache sees them,
/// which is what OpenSCAP 1.3.7's dpkginfo probe queries (through libapt-pkg).
///
/// A package counts as installed (apt gives it a current version) unless its state, the
/// third word of `Status:`, is `not-installed` or `config-files`: `installed`,
/// `unpacked`, `half-configured`, `half-installed`, `triggers-awaited` and
/// `triggers-pending` all count, whatever the want and error flags are (`hold ok
/// installed`, `install reinstreq half-installed`).
package struct DpkgDatabase: Sendable {
    /// One installed package.
    package struct Package: Sendable, Equatable {
        package var name: String
        /// As written in `Architecture:` ("all" stays "all").
        package var architecture: String
        /// The full version string, `[epoch:]upstream[-revision]`.
        package var version: String
        package var status: String

        package init(name: String, architecture: String, version: String, status: String) {
            self.name = name
            self.architecture = architecture
            self.version = version
            self.status = status
        }
    }

    /// Installed packages in file order.
    package let packages: [Package]
    /// The architecture a name without `:arch` refers to, e.g. "amd64".
    package let nativeArchitecture: String
    private let index: [String: Int]

    /// Builds the database from status-file text; `nativeArchitecture` defaults to the
    /// architecture Vigil was built for (apt uses the host's, so OpenSCAP does too,
    /// even for an offline root).
    package init(statusText: String, nativeArchitecture: String = DpkgDatabase.buildArchitecture) {
        self.nativeArchitecture = nativeArchitecture
        var list: [Package] = []
        var index: [String: Int] = [:]
        for stanza in DpkgDatabase.stanzas(statusText) {
            guard let name = stanza["package"], !name.isEmpty,
                  let version = stanza["version"], !version.isEmpty,
                  let status = stanza["status"] else { continue }
            let words = status.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard words.count == 3 else { continue }
            let state = words[2]
            if state == "not-installed" || state == "config-files" { continue }
            let arch = stanza["architecture"] ?? ""
            let key = DpkgDatabase.key(name, arch == "all" || arch.isEmpty ? nativeArchitecture : arch)
            if index[key] != nil { continue }
            index[key] = list.count
            list.append(Package(name: name, architecture: arch, version: version, status: status))
        }
        self.packages = list
        self.index = index
    }

    /// The installed package apt finds for `query`: a name, optionally qualified with
    /// `:arch` (`:native` and `:all` mean the native architecture). Names are matched
    /// exactly (case-sensitively), as apt does; an unqualified name is looked up in the
    /// native architecture only.
    package func installed(_ query: String) -> Package? {
        var name = query
        var arch = nativeArchitecture
        if let colon = query.lastIndex(of: ":") {
            name = String(query[query.startIndex..<colon])
            let qualifier = String(query[query.index(after: colon)...])
            arch = (qualifier == "native" || qualifier == "all") ? nativeArchitecture : qualifier
        }
        guard let i = index[DpkgDatabase.key(name, arch)] else { return nil }
        return packages[i]
    }

    private static func key(_ name: String, _ arch: String) -> String { name + ":" + arch }

    /// The paragraphs of a deb822 file, each as lower-cased field name → value
    /// (continuation lines joined with "\n").
    static func stanzas(_ text: String) -> [[String: String]] {
        var out: [[String: String]] = []
        var current: [String: String] = [:]
        var lastKey: String?
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = Substring(rawLine)
            if line.hasSuffix("\r") { line = line.dropLast() }
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) {
                if !current.isEmpty { out.append(current) }
                current = [:]
                lastKey = nil
                continue
            }
            if line.first == " " || line.first == "\t" {
                if let k = lastKey { current[k, default: ""] += "\n" + line.drop { $0 == " " || $0 == "\t" } }
                continue
            }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[line.startIndex..<colon].lowercased()
            let value = line[line.index(after: colon)...].drop { $0 == " " || $0 == "\t" }
            var trimmed = String(value)
            while trimmed.last == " " || trimmed.last == "\t" { trimmed.removeLast() }
            current[key] = trimmed
            lastKey = key
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    /// The Debian name of the architecture this program was built for.
    package static var buildArchitecture: String {
        #if arch(x86_64)
        return "amd64"
        #elseif arch(arm64)
        return "arm64"
        #elseif arch(i386)
        return "i386"
        #elseif arch(arm)
        return "armhf"
        #elseif arch(powerpc64le)
        return "ppc64el"
        #elseif arch(s390x)
        return "s390x"
        #elseif arch(riscv64)
        return "riscv64"
        #else
        return "unknown"
        #endif
    }

    /// Splits a Debian version the way OpenSCAP 1.3.7 does: epoch before the first ':'
    /// ("0" when there is none), release after the first '-' that follows ("" when
    /// there is none), and evr `epoch:version-release` (`epoch:version` without release).
    package static func splitVersion(_ full: String) -> (epoch: String, version: String, release: String, evr: String) {
        var epoch = "0"
        var rest = Substring(full)
        if let colon = full.firstIndex(of: ":") {
            epoch = String(full[full.startIndex..<colon])
            rest = full[full.index(after: colon)...]
        }
        if let dash = rest.firstIndex(of: "-") {
            let version = String(rest[rest.startIndex..<dash])
            let release = String(rest[rest.index(after: dash)...])
            return (epoch, version, release, "\(epoch):\(version)-\(release)")
        }
        return (epoch, String(rest), "", "\(epoch):\(rest)")
    }
}
