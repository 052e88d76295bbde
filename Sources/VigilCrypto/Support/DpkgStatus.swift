import VigilTarget

/// The installed packages dpkg records in the target's `/var/lib/dpkg/status`, for the
/// checks that need a package's version without running anything (OpenSSL's, OpenSSH's).
/// VigilProbes has the full reader for OVAL's dpkginfo; this is the one lookup the native
/// checks share.
enum DpkgStatus {
    static let path = "/var/lib/dpkg/status"

    /// The first of `packages` installed on `target`, with its version as dpkg writes it
    /// ("1:9.2p1-2+deb12u6"), or nil when none is (or there is no dpkg status).
    static func installed(_ packages: [String], on target: any Target) -> (package: String, version: String)? {
        guard let text = target.readText(path) else { return nil }
        var found: [String: String] = [:]
        for stanza in text.components(separatedBy: "\n\n") {
            var fields: [String: String] = [:]
            for line in stanza.split(separator: "\n") where !line.hasPrefix(" ") {
                guard let colon = line.firstIndex(of: ":") else { continue }
                fields[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            guard let package = fields["Package"], packages.contains(package),
                  fields["Status"]?.hasSuffix(" installed") == true, let version = fields["Version"] else { continue }
            found[package] = version
        }
        return packages.lazy.compactMap { p in found[p].map { (p, $0) } }.first
    }

    /// A dpkg version without its epoch ("1:9.2p1-2" → "9.2p1-2").
    static func withoutEpoch(_ version: String) -> String {
        guard let colon = version.firstIndex(of: ":"), version[..<colon].allSatisfy(\.isNumber) else { return version }
        return String(version[version.index(after: colon)...])
    }
}
