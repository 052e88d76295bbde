import Foundation
import VigilCrypto

/// The Content-Security-Policy sources that let a report page run its own inline
/// scripts and nothing else: one `'sha256-…'` per `<script>` block of the template.
/// The blocks are hashed in the template text, before any value is put in, so a script
/// that a value smuggled into the page (were escaping ever to fail) has no hash and
/// does not run. A script block must therefore hold no `{{…}}` tag.
enum InlineScripts {
    /// The CSP sources (`'sha256-…' 'sha256-…'`) for the `<script>` blocks of `template`;
    /// `'none'` when it has none. Blocks with a `type` attribute (data blocks) are not
    /// scripts and are skipped.
    static func cspSources(template: String, name: String) throws -> String {
        var sources: [String] = []
        var rest = template[...]
        while let open = rest.range(of: "<script") {
            guard let close = rest.range(of: ">", range: open.upperBound..<rest.endIndex),
                  let end = rest.range(of: "</script>", range: close.upperBound..<rest.endIndex) else {
                throw ReportError("the report template \(name) has a <script> that does not end")
            }
            let attributes = rest[open.upperBound..<close.lowerBound]
            let body = rest[close.upperBound..<end.lowerBound]
            if !attributes.contains("type=") {
                guard !body.contains("{{") else {
                    throw ReportError("the report template \(name) puts a value inside a script, which its hash cannot cover")
                }
                let digest = sha256(Array(body.utf8))
                guard !digest.isEmpty else { throw ReportError("cannot compute the SHA-256 of a script in \(name)") }
                sources.append("'sha256-\(Data(digest).base64EncodedString())'")
            }
            rest = rest[end.upperBound...]
        }
        return sources.isEmpty ? "'none'" : sources.joined(separator: " ")
    }

    /// The SHA-256 of `bytes`, empty only if OpenSSL cannot hash at all.
    static func sha256(_ bytes: [UInt8]) -> [UInt8] {
        CryptoLibraryContext.shared.hash("SHA-256", bytes) ?? []
    }
}
