import COpenSSL
import XCTest
@testable import VigilCrypto

/// The names a rule may give a digest are OpenSSL's own: each fetches the algorithm of its
/// canonical name from the default and legacy providers.
final class RuntimeDigestNamesTests: XCTestCase {
    func testEveryAliasIsTheAlgorithmOfItsCanonicalName() throws {
        let ctx = try XCTUnwrap(OSSL_LIB_CTX_new())
        defer { OSSL_LIB_CTX_free(ctx) }
        XCTAssertNotNil(OSSL_PROVIDER_load(ctx, "default"))
        XCTAssertNotNil(OSSL_PROVIDER_load(ctx, "legacy"))
        for (canonical, names) in RuntimeDigestNames.aliases {
            XCTAssertTrue(names.contains(canonical))
            for name in names + [name(lowercased: canonical)] {
                let md = EVP_MD_fetch(ctx, name, nil)
                XCTAssertNotNil(md, "OpenSSL fetches no digest '\(name)'")
                XCTAssertEqual(EVP_MD_is_a(md, canonical), 1, "\(name) is not \(canonical)")
                EVP_MD_free(md)
                XCTAssertEqual(RuntimeDigestNames.canonical(name), canonical)
            }
        }
        XCTAssertNil(RuntimeDigestNames.canonical("SHA-2"))
    }

    private func name(lowercased canonical: String) -> String { canonical.lowercased() }
}
