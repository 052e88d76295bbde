import Foundation

/// The DISA STIG a checklist is for, as STIG Viewer names it (STIG_INFO `stigid` and
/// `title`), with the asset's role and technology area for the system it covers. It is
/// recognised from the prefix of the STIG ids (Rule_Ver) of the checklist's rules, so that
/// content of any origin that cites a STIG's ids gets that STIG's names. The release
/// ("V2R3") is read from the profile's or benchmark's title when it gives one.
struct STIGProduct: Equatable {
    /// STIG Viewer's STIG id: "Kubernetes_STIG".
    let stigID: String
    let title: String
    /// STIG Viewer's asset role ("None", "Workstation", "Member Server", "Domain Controller").
    let role: String
    /// STIG Viewer's technology area ("" when none fits).
    let techArea: String

    /// The STIGs Vigil recognises, by the prefix of their STIG ids. Add a STIG here.
    static let known: [(prefix: String, product: STIGProduct)] = [
        ("CNTR-K8-", STIGProduct(stigID: "Kubernetes_STIG", title: "Kubernetes Security Technical Implementation Guide",
                                 role: "Member Server", techArea: "Other Review")),
    ]

    /// The STIG most of `stigIDs` belong to; nil when none is known (the checklist then
    /// names the benchmark, as before).
    static func of(_ stigIDs: [String]) -> STIGProduct? {
        var counts: [Int: Int] = [:]
        for id in stigIDs {
            if let i = known.firstIndex(where: { id.uppercased().hasPrefix($0.prefix) }) { counts[i, default: 0] += 1 }
        }
        return counts.max { a, b in a.value != b.value ? a.value < b.value : a.key > b.key }.map { known[$0.key].product }
    }

    /// (version, release) of the first "V<n>R<m>" word in `texts` (a profile titled "DISA
    /// Kubernetes STIG V2R3"); nil when none says.
    static func release(in texts: [String]) -> (version: String, release: String)? {
        for text in texts {
            if let m = text.firstMatch(of: #/(?:^|[^A-Za-z0-9])[Vv](\d{1,3})[Rr](\d{1,3})(?:$|[^A-Za-z0-9])/#) {
                return (String(m.1), String(m.2))
            }
        }
        return nil
    }
}

extension STIGChecklist {
    /// The STIG_INFO names of a checklist: STIG Viewer's id, title, version and release
    /// info for a known STIG (`STIGProduct`), else the benchmark's.
    struct Info {
        let product: STIGProduct?
        let stigID: String
        let title: String
        let version: String
        let releaseInfo: String

        init(_ data: ReportData, vulns: [Vuln]) {
            product = STIGProduct.of(vulns.map(\.ruleVersion))
            let benchmarkTitle = data.benchmarkName.isEmpty ? data.scan.benchmarkID : data.benchmarkName
            stigID = product?.stigID ?? STIGChecklist.stigID(data)
            title = product?.title ?? benchmarkTitle
            if product != nil, let r = STIGProduct.release(in: [data.system.profileTitle, data.scan.profileID, benchmarkTitle]) {
                version = r.version
                releaseInfo = "Release: \(r.release)"
            } else {
                version = data.scan.benchmarkVersion
                releaseInfo = "Version \(data.scan.benchmarkVersion)"
            }
        }

        /// Each VULN's STIGRef: "Kubernetes Security Technical Implementation Guide :: Version 2, Release: 3".
        func reference(_ data: ReportData) -> String {
            product == nil ? "\(data.scan.benchmarkID) :: Version \(data.scan.benchmarkVersion)" : "\(title) :: Version \(version), \(releaseInfo)"
        }

        var role: String { product?.role ?? "None" }
        var techArea: String { product?.techArea ?? "" }
    }
}
