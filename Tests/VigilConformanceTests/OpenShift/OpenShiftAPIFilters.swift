import Foundation

/// The dumps the ocp4 content reads, as the compliance operator's api-resource-collector
/// writes them: each rule's warning names an API endpoint (`ocp-api-endpoint`), an optional
/// jq filter (`ocp-api-filter`) and the dump file (`ocp-dump-location`), with `{{.name}}`
/// standing for the XCCDF Value `name`'s default. The operator fetches only these (and the
/// objects it always stages, `staged`), runs a filter with gojq and writes its single result
/// as compact JSON; here `jq -c` runs it. Unfiltered endpoints are dumped as fetched.
struct OpenShiftAPIFilter: Equatable {
    let endpoint: String
    /// nil: the object is dumped as fetched.
    let filter: String?
    /// Path under the dump root, e.g. `/api/v1/namespaces#34d4...` or `/ocp/version`.
    let dumpPath: String

    /// What the operator always fetches, for version and platform detection.
    static let staged = ["/version", "/apis/config.openshift.io/v1/clusteroperators/openshift-apiserver",
                         "/apis/config.openshift.io/v1/infrastructures/cluster", "/apis/config.openshift.io/v1/networks/cluster"]

    /// Every dump of a benchmark (its XCCDF or source data stream text), once each: the
    /// staged objects, the unfiltered endpoints and the filtered ones.
    static func all(in benchmark: String) -> [OpenShiftAPIFilter] {
        let values = defaults(in: benchmark)
        func render(_ s: String) -> String {
            var out = unescape(s)
            for m in matches(#"\{\{\.([A-Za-z0-9_]+)\}\}"#, out).reversed() {
                out.replaceSubrange(Range(m.range, in: out)!, with: values[group(m, 1, out)] ?? "")
            }
            return out
        }
        var filters: [String: String] = [:], dumps: [String: String] = [:], endpoints: [(String, String)] = []
        for m in matches(#"<html:code class="ocp-api-filter" id="filter-([0-9a-f]+)">(.*?)</html:code>"#, benchmark) {
            filters[group(m, 1, benchmark)] = group(m, 2, benchmark)
        }
        for m in matches(#"<html:code class="ocp-dump-location" id="dump-([0-9a-f]+)"><xccdf-1\.2:sub [^>]*/>([^<]*)</html:code>"#, benchmark) {
            dumps[group(m, 1, benchmark)] = group(m, 2, benchmark)
        }
        for m in matches(#"<html:code class="ocp-api-endpoint" id="([0-9a-f]+)">([^<]*)</html:code>"#, benchmark) {
            endpoints.append((group(m, 1, benchmark), group(m, 2, benchmark)))
        }
        var seen: Set<String> = [], out = staged.map { OpenShiftAPIFilter(endpoint: $0, filter: nil, dumpPath: $0) }
        let plain = #"<html:code class="ocp-api-endpoint">([^<]*)</html:code>[^<]*<html:code class="ocp-dump-location"><xccdf-1\.2:sub [^>]*/>([^<]*)</html:code>"#
        for m in matches(plain, benchmark) {
            let endpoint = render(group(m, 1, benchmark)), dump = render(group(m, 2, benchmark))
            if seen.insert(dump).inserted { out.append(OpenShiftAPIFilter(endpoint: endpoint, filter: nil, dumpPath: dump)) }
        }
        for (id, endpoint) in endpoints {
            guard let filter = filters[id], let dump = dumps[id], seen.insert(dump).inserted else { continue }
            out.append(OpenShiftAPIFilter(endpoint: render(endpoint), filter: render(filter), dumpPath: render(dump)))
        }
        return out
    }

    /// What the operator writes for the raw object in `file`: the object, or the filter's
    /// output (compact, no final newline), nil when jq finds no result or fails (the
    /// operator then writes no file).
    func apply(to file: String, jq: String) throws -> String? {
        guard let filter else { return try String(contentsOfFile: file, encoding: .utf8) }
        let r = try Shell.run(jq, ["-c", filter, file])
        guard r.status == 0, let first = r.stdout.split(separator: "\n").first else { return nil }
        return String(first)
    }

    /// Each XCCDF Value's default (its first `value` without a selector), by short name.
    private static func defaults(in text: String) -> [String: String] {
        var out: [String: String] = [:]
        let pattern = #"<xccdf-1\.2:Value id="xccdf_org\.ssgproject\.content_value_([A-Za-z0-9_]+)"[^>]*>.*?<xccdf-1\.2:value>([^<]*)</xccdf-1\.2:value>"#
        for m in matches(pattern, text) where out[group(m, 1, text)] == nil {
            out[group(m, 1, text)] = unescape(group(m, 2, text))
        }
        return out
    }

    private static func unescape(_ s: String) -> String {
        s.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&apos;", with: "'").replacingOccurrences(of: "&amp;", with: "&")
    }

    private static func matches(_ pattern: String, _ text: String) -> [NSTextCheckingResult] {
        let re = try! NSRegularExpression(pattern: pattern, options: [.dotMatchesLineSeparators])
        return re.matches(in: text, range: NSRange(text.startIndex..., in: text))
    }

    private static func group(_ m: NSTextCheckingResult, _ n: Int, _ text: String) -> String {
        Range(m.range(at: n), in: text).map { String(text[$0]) } ?? ""
    }
}
