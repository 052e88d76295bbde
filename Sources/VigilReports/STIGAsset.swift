import Foundation
import VigilStore

extension STIGChecklist {
    /// The checklist's asset (STIG Viewer's target data): host name, first IP address
    /// (IPv4 first) and MAC address, FQDN, and a comment naming the scan, the system's OS,
    /// kernel and architecture, the user, the profile, and when it ran.
    struct Asset {
        let hostName: String
        let ip: String
        let mac: String
        let fqdn: String
        let comment: String

        init(_ data: ReportData) {
            let s = data.system
            hostName = s.hostName.isEmpty ? data.scan.hostName : s.hostName
            ip = s.ipv4Addresses.first ?? s.ipAddresses.first ?? ""
            mac = s.macAddresses.first?.uppercased() ?? ""
            fqdn = s.fqdn
            var parts = ["Vigil \(data.scan.vigilVersion) scan \(data.scan.uuid) of \(data.scan.target) (\(data.scan.targetKind))"]
            let os = s.osPrettyName.isEmpty ? [s.osName, s.osVersion].filter { !$0.isEmpty }.joined(separator: " ") : s.osPrettyName
            if !os.isEmpty { parts.append("OS: \(os)") }
            if !s.kernelRelease.isEmpty { parts.append("kernel \(s.kernelRelease)") }
            if !s.architecture.isEmpty { parts.append(s.architecture) }
            if !s.user.isEmpty { parts.append("run by \(s.user)") }
            let profile = s.profileTitle.isEmpty ? data.scan.profileID : s.profileTitle
            if !profile.isEmpty { parts.append("profile: \(profile)") }
            parts.append("\(SystemFields.timestamp(data.scan.startedAt)) to \(SystemFields.timestamp(data.scan.finishedAt))")
            comment = parts.joined(separator: "; ")
        }
    }
}
