import Foundation
import VigilCore
import VigilStore

extension STIGChecklist {
    /// The checklist's asset (STIG Viewer's target data): host name, first IP address
    /// (IPv4 first) and MAC address, FQDN, and a comment naming the scan, the system's OS,
    /// kernel and architecture, the user, the profile, and when it ran. An image is a
    /// "Computing" asset named by its image name, with no address and role "None" (it is
    /// no server yet); the comment names its reference, digests and platform. TARGET_KEY
    /// stays DISA's STIG key, which the checklist's VULNs refer to, so the image is not
    /// put there.
    struct Asset {
        let hostName: String
        let ip: String
        let mac: String
        let fqdn: String
        let comment: String
        /// The asset's role when the scanned system decides it (an image: "None"); nil:
        /// the STIG's (`Info.role`).
        let role: String?

        init(_ data: ReportData) {
            let s = data.system
            let image = data.image
            hostName = image?.name ?? (s.hostName.isEmpty ? data.scan.hostName : s.hostName)
            ip = image != nil ? "" : s.ipv4Addresses.first ?? s.ipAddresses.first ?? ""
            mac = image != nil ? "" : s.macAddresses.first?.uppercased() ?? ""
            fqdn = image != nil ? "" : s.fqdn
            role = image != nil ? "None" : nil
            var parts = ["Vigil \(data.scan.vigilVersion) scan \(data.scan.uuid) of \(data.scan.target) (\(data.scan.targetKind))"]
            if let image { parts += Self.imageParts(image) }
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

        /// The comment's parts for an image: its tagged name, digests and platform.
        static func imageParts(_ image: ImageIdentity) -> [String] {
            var parts = ["image \(ImageFacts.taggedName(image))"]
            if let digest = image.manifestDigest { parts.append("manifest \(digest)") }
            if let digest = image.configDigest { parts.append("config \(digest)") }
            let platform = ImageFacts.platform(image)
            if !platform.isEmpty { parts.append("platform \(platform)") }
            return parts
        }
    }
}
