/// The verdict of an `openssl_runtime` check on what the probe reported: one evidence line
/// per condition, the unmet ones first, after a line naming the library and configuration.
extension OpenSSLRuntimeCheck {
    /// Evidence lines kept after the first; the rest are counted.
    static let evidenceLines = 4

    func judge(_ state: OpenSSLRuntimeState) -> NativeVerdict {
        var findings: [(met: Bool, line: String)] = []
        let fips = state.providers("fips")
        if let want = fipsProvider {
            let seen = fips.isEmpty ? "absent (loaded: \(state.providers.map(\.summary).joined(separator: ", ")))"
                : "loaded: \(fips.map(\.summary).joined(separator: ", "))"
            findings.append(Self.finding(fips.isEmpty != want, "FIPS provider \(seen)", expected: want ? "available" : "absent"))
        }
        if let want = defaultPropertiesFIPS {
            let seen = state.defaultPropertiesFips ? "default properties: fips=yes" : "default properties: fips=yes not set"
            findings.append(Self.finding(state.defaultPropertiesFips == want, seen, expected: want ? "fips=yes" : "no fips=yes"))
        }
        if selfTestPassed {
            let passing = fips.filter { $0.selfTest && $0.status == 1 }
            let seen = fips.isEmpty ? "no FIPS provider loaded" : fips.map(\.summary).joined(separator: ", ")
            findings.append(Self.finding(!fips.isEmpty && passing.count == fips.count, "FIPS self-test: \(seen)", expected: "passed"))
        }
        for family in providersAbsent {
            let loaded = state.providers(family)
            let seen = loaded.isEmpty ? "\(family) provider absent" : "\(family) provider loaded: \(loaded.map(\.summary).joined(separator: ", "))"
            findings.append(Self.finding(loaded.isEmpty, seen, expected: "absent"))
        }
        for name in refuses { findings.append(digest(name, state, wantWorks: false)) }
        for name in accepts { findings.append(digest(name, state, wantWorks: true)) }

        let met = findings.allSatisfy(\.met)
        let ordered = findings.filter { !$0.met } + findings.filter(\.met)
        var evidence = [Self.library(state)] + ordered.prefix(Self.evidenceLines).map { String($0.line.prefix(190)) }
        if ordered.count > Self.evidenceLines { evidence.append("and \(ordered.count - Self.evidenceLines) more") }
        return NativeVerdict(met ? .pass : .fail, evidence: evidence)
    }

    /// "MD5 refused (unsupported)", "SHA256 accepted".
    private func digest(_ name: DigestName, _ state: OpenSSLRuntimeState, wantWorks: Bool) -> (met: Bool, line: String) {
        guard let d = state.digest(name.canonical) else {
            return Self.finding(false, "\(name.given): not reported by the probe", expected: wantWorks ? "accepted" : "refused")
        }
        let reason = d.error.isEmpty ? "" : " (\(Self.reason(d.error)))"
        let seen = d.works ? "\(name.given) accepted" : "\(name.given) refused\(d.fetched ? " when hashing" : "")\(reason)"
        return Self.finding(d.works == wantWorks, seen, expected: wantWorks ? "accepted" : "refused")
    }

    /// "runtime: OpenSSL 3.0.22 25 Aug 2026, configuration /usr/lib/ssl/openssl.cnf".
    static func library(_ state: OpenSSLRuntimeState) -> String {
        let lib = state.openssl
        let load = lib.configLoaded ? "" : " (failed to load: \(lib.configErrors.last.map(reason) ?? "no reason given"))"
        return String("runtime: \(lib.version), configuration \(lib.configFile)\(load)".prefix(190))
    }

    /// The reason of an OpenSSL error string: "unsupported" of
    /// "error:0308010C:digital envelope routines::unsupported".
    static func reason(_ error: String) -> String {
        error.split(separator: ":", omittingEmptySubsequences: true).last.map(String.init) ?? error
    }

    /// A condition's evidence line: what was seen, and what was expected when it differs.
    private static func finding(_ met: Bool, _ seen: String, expected: String) -> (met: Bool, line: String) {
        (met, met ? seen : "\(seen); expected \(expected)")
    }
}
