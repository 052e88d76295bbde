import Foundation
import VigilProbes
import VigilXML

/// What `vigil scan` evaluates when no content is given: the SCAP Security Guide data
/// stream for the scanned system's OS (from its `/etc/os-release`) when one is installed,
/// else Vigil's own `rules/linux-baseline`, which applies to any current Linux.
public struct DefaultContent: Sendable, Equatable {
    public var path: String
    /// The profile to use when the user names none: the guide's `standard` profile when it
    /// has one (its own default selection is nearly empty); the baseline's every rule.
    public var profile: String?
    /// Why this content, for the user.
    public var reason: String

    public init(path: String, profile: String?, reason: String) {
        self.path = path
        self.profile = profile
        self.reason = reason
    }

    /// Folders that hold the SCAP Security Guide's data streams (Debian's and Red Hat's).
    public static let guideFolders = ["/usr/share/xml/scap/ssg/content", "/usr/share/scap-security-guide/content",
                                      "/usr/share/xml/scap/ssg"]

    /// The OS of `target`: (ID, VERSION_ID, PRETTY_NAME) from os-release.
    public static func operatingSystem(_ target: any Target) -> (id: String, version: String, name: String)? {
        guard let text = target.readText("/etc/os-release") ?? target.readText("/usr/lib/os-release") else { return nil }
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let eq = line.firstIndex(of: "=") else { continue }
            var value = String(line[line.index(after: eq)...]).trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let q = value.first, q == "\"" || q == "'", value.last == q { value = String(value.dropFirst().dropLast()) }
            fields[String(line[..<eq])] = value
        }
        guard let id = fields["ID"] else { return nil }
        return (id, fields["VERSION_ID"] ?? "", fields["PRETTY_NAME"] ?? id)
    }

    /// Data stream file names the guide uses for an OS, most specific first
    /// (`ssg-ubuntu2204-ds.xml`, `ssg-rhel9-ds.xml`, `ssg-debian12-ds.xml`).
    public static func guideNames(id: String, version: String) -> [String] {
        let major = String(version.split(separator: ".").first ?? "")
        let full = version.replacingOccurrences(of: ".", with: "")
        var names: [String] = []
        switch id {
        case "ubuntu": names = ["ubuntu\(full)"]
        case "rhel", "centos", "almalinux", "rocky", "ol":
            names = [(id == "centos" && (Int(major) ?? 0) >= 9 ? "cs" : (id == "rocky" || id == "almalinux" ? "rhel" : id)) + major]
        case "fedora": names = ["fedora"]
        case "sles", "sled": names = ["sle\(major)"]
        case "opensuse-leap": names = ["opensuse"]
        default: names = major == full ? ["\(id)\(major)"] : ["\(id)\(major)", "\(id)\(full)"]
        }
        return names.map { "ssg-\($0)-ds.xml" }
    }

    public static func choose(target: any Target, guideFolders: [String] = guideFolders, baseline: String?) -> DefaultContent? {
        let os = operatingSystem(target)
        if let os {
            for name in guideNames(id: os.id, version: os.version) {
                for folder in guideFolders {
                    let path = (folder as NSString).appendingPathComponent(name)
                    // Only a regular file: a FIFO or device by that name would block the scan.
                    if FileManager.default.isReadableFile(atPath: path) && InputFile.isRegular(path) {
                        return DefaultContent(path: path, profile: "standard",
                                              reason: "the SCAP Security Guide data stream for \(os.name)")
                    }
                }
            }
        }
        guard let baseline else { return nil }
        let why = os.map { "no SCAP Security Guide data stream for \($0.name) is installed" } ?? "the OS is not known (no os-release)"
        return DefaultContent(path: baseline, profile: nil, reason: "Vigil's Linux baseline (\(why))")
    }

    /// Where Vigil's `rules/linux-baseline` is (see `ruleFolder`; `$VIGIL_BASELINE` first).
    public static func baselineFolder(executable: String = CommandLine.arguments[0]) -> String? {
        ruleFolder("linux-baseline", environment: "VIGIL_BASELINE", executable: executable)
    }

    /// Where Vigil's rule folder `rules/<name>` is: the folder named by the environment
    /// variable `environment`, the source checkout the executable was built in, or an
    /// installed copy under `share/vigil/rules`. A folder counts when it has a `benchmark.yaml`.
    public static func ruleFolder(_ name: String, environment: String, executable: String = CommandLine.arguments[0]) -> String? {
        let fm = FileManager.default
        func isRuleFolder(_ p: String) -> Bool { InputFile.isRegular((p as NSString).appendingPathComponent("benchmark.yaml")) }
        if let env = ProcessInfo.processInfo.environment[environment], !env.isEmpty { return env }
        var exe = URL(fileURLWithPath: executable).resolvingSymlinksInPath()
        if !executable.contains("/"), let found = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
            .map({ "\($0)/\(executable)" }).first(where: { fm.isExecutableFile(atPath: $0) }) {
            exe = URL(fileURLWithPath: found).resolvingSymlinksInPath()
        }
        var dir = exe.deletingLastPathComponent()
        for _ in 0..<5 {
            for candidate in ["rules/\(name)", "share/vigil/rules/\(name)"] {
                let p = dir.appendingPathComponent(candidate).path
                if isRuleFolder(p) { return p }
            }
            dir = dir.deletingLastPathComponent()
        }
        return ["/usr/share/vigil/rules/\(name)", "/usr/local/share/vigil/rules/\(name)"].first(where: isRuleFolder)
    }
}
