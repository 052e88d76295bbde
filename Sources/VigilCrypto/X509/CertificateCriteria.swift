import Foundation

/// The criteria of an `x509` check, read from its parameters, and how one certificate is
/// judged against them.
struct CertificateCriteria: Sendable, Equatable {
    var key: KeyPolicy
    var minSignatureBits: Int?
    /// Digest names normalised: lowercase, no dashes (`sha1`, `md5`).
    var forbiddenDigests: Set<String>
    var skipSelfSignedSignatures: Bool
    var notExpired: Bool
    var expiresWithinDays: Int?
    var ignoreAnchorExpiry: Bool
    /// SHA-256 fingerprints, lowercase hex without separators.
    var allowlist: Set<String>?

    init(_ p: NativeParameters) throws {
        key = try KeyPolicy(p)
        minSignatureBits = try p.integer("min_signature_bits")
        forbiddenDigests = Set(KeyPolicy.split(p.strings("forbid_digests") ?? []).map(Self.normalDigest))
        skipSelfSignedSignatures = try p.bool("skip_self_signed") ?? true
        notExpired = try p.bool("not_expired") ?? false
        expiresWithinDays = try p.integer("expires_within_days")
        ignoreAnchorExpiry = try p.choice("anchor_expiry", ["check", "ignore"]) == "ignore"
        if let list = p.strings("trust_anchor_allowlist") {
            let prints = KeyPolicy.split(list).map { $0.replacingOccurrences(of: ":", with: "").lowercased() }
            for f in prints where f.count != 64 || !f.allSatisfy(\.isHexDigit) {
                throw NativeCheckError(parameter: "trust_anchor_allowlist", "'trust_anchor_allowlist' takes SHA-256 fingerprints (64 hex digits), not '\(f)'")
            }
            allowlist = Set(prints)
        }
        if key.isEmpty && minSignatureBits == nil && forbiddenDigests.isEmpty && !notExpired && expiresWithinDays == nil && allowlist == nil {
            throw NativeCheckError("x509 needs at least one criterion: \(KeyPolicy.parameterNames.joined(separator: ", ")), min_signature_bits, forbid_digests, not_expired, expires_within_days or trust_anchor_allowlist")
        }
    }

    static func normalDigest(_ name: String) -> String { name.lowercased().replacingOccurrences(of: "-", with: "") }

    /// What was skipped while judging, for the evidence of a pass.
    struct Tally {
        var anchorSignaturesSkipped = 0
        var anchorExpiryIgnored = 0
        var nearest: (label: String, days: Int)?

        var notes: [String] {
            var out: [String] = []
            if anchorSignaturesSkipped > 0 { out.append("\(anchorSignaturesSkipped) self-signed trust anchors: their own signatures not judged") }
            if anchorExpiryIgnored > 0 { out.append("\(anchorExpiryIgnored) expired or expiring self-signed trust anchors ignored (anchor_expiry: ignore)") }
            if let n = nearest { out.append("nearest expiry: \(n.label) in \(n.days) days") }
            return out
        }
    }

    /// Why `cert` fails the criteria at `now` (empty when it meets them).
    func violations(_ cert: CertificateInfo, now: Date, tally: inout Tally) -> [String] {
        var out = key.violations(cert.key)
        out += signatureViolations(cert, tally: &tally)
        out += validityViolations(cert, now: now, tally: &tally)
        if let allowlist, !allowlist.contains(cert.sha256) {
            out.append("SHA-256 \(cert.sha256) not in the trust-anchor allow-list")
        }
        return out
    }

    private func signatureViolations(_ cert: CertificateInfo, tally: inout Tally) -> [String] {
        guard minSignatureBits != nil || !forbiddenDigests.isEmpty else { return [] }
        if cert.selfSigned && skipSelfSignedSignatures {
            tally.anchorSignaturesSkipped += 1
            return []
        }
        var out: [String] = []
        if let digest = cert.digest, forbiddenDigests.contains(Self.normalDigest(digest)) {
            out.append("signed with \(digest) (\(cert.signatureAlgorithm))")
        }
        if let min = minSignatureBits, cert.signatureSecurityBits < min {
            let strength = cert.signatureSecurityBits == 0 ? "unknown strength" : "\(cert.signatureSecurityBits)-bit security"
            out.append("signature \(cert.signatureAlgorithm): \(strength) < \(min)")
        }
        return out
    }

    private func validityViolations(_ cert: CertificateInfo, now: Date, tally: inout Tally) -> [String] {
        guard notExpired || expiresWithinDays != nil else { return [] }
        var out: [String] = []
        let expired = cert.notAfter < now
        if notExpired && expired {
            out.append("expired \(Self.day(cert.notAfter)) (\(-cert.daysLeft(now)) days ago)")
        } else if notExpired && cert.notBefore > now {
            out.append("not valid before \(Self.day(cert.notBefore))")
        }
        if let days = expiresWithinDays, !(notExpired && expired), cert.notAfter < now.addingTimeInterval(Double(days) * 86400) {
            out.append("expires \(Self.day(cert.notAfter)) (in \(cert.daysLeft(now)) days, within \(days))")
        }
        if !out.isEmpty && cert.selfSigned && ignoreAnchorExpiry {
            tally.anchorExpiryIgnored += 1
            return []
        }
        if out.isEmpty, tally.nearest.map({ cert.daysLeft(now) < $0.days }) ?? true {
            tally.nearest = (cert.label, cert.daysLeft(now))
        }
        return out
    }

    private static func day(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withFullDate]
        return f.string(from: date)
    }
}
