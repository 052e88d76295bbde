import Foundation
import VigilCore
import VigilStore

/// The scanned system's identity and the scan's policy as flat name/value pairs, the one
/// list the JUnit properties and the SARIF run properties are made from. A scanned image
/// adds its fields (`ImageFacts.fields`) after the target's.
enum SystemFields {
    /// Every field, in a fixed order; lists are comma-separated.
    static func list(_ data: ReportData) -> [(String, String)] {
        let s = data.scan
        let sys = data.system
        return [
            ("host", sys.hostName.isEmpty ? s.hostName : sys.hostName), ("hostID", s.hostID), ("fqdn", sys.fqdn),
            ("osName", sys.osName), ("osVersion", sys.osVersion), ("osPrettyName", sys.osPrettyName),
            ("kernelRelease", sys.kernelRelease), ("kernelVersion", sys.kernelVersion),
            ("architecture", sys.architecture), ("ipAddresses", sys.ipAddresses.joined(separator: ",")),
            ("macAddresses", sys.macAddresses.joined(separator: ",")), ("user", sys.user),
            ("target", s.target), ("targetKind", s.targetKind),
        ] + (data.image.map(ImageFacts.fields) ?? []) + [
            ("startedAt", timestamp(s.startedAt)), ("finishedAt", timestamp(s.finishedAt)),
            ("profile", s.profileID), ("profileTitle", sys.profileTitle), ("profileDescription", sys.profileDescription),
            ("benchmark", s.benchmarkID), ("benchmarkTitle", data.benchmarkName), ("benchmarkVersion", s.benchmarkVersion),
            ("vigilVersion", s.vigilVersion), ("scan", s.uuid),
        ]
    }

    /// A date as ISO 8601 in UTC.
    static func timestamp(_ date: Date) -> String { InternetDateTime.utc(date) }
}
