import COpenSSL
import XCTest
@testable import VigilCrypto

/// Vigil's library context hashes whatever the process-wide OpenSSL defaults say.
final class CryptoLibraryContextTests: XCTestCase {
    func hex(_ bytes: [UInt8]?) -> String? { bytes?.map { String(format: "%02x", $0) }.joined() }

    func testKnownAnswers() {
        let context = CryptoLibraryContext.shared
        XCTAssertNotNil(context.libctx)
        XCTAssertEqual(hex(context.hash("MD5", Array("abc".utf8))), "900150983cd24fb0d6963f7d28e17f72")
        XCTAssertEqual(hex(context.hash("SHA-256", Array("abc".utf8))),
                       "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(hex(context.hash("SHA2-256", [])), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertNil(context.digest(name: "NO-SUCH-DIGEST"))
        XCTAssertNil(context.digest(name: "MD4"), "the legacy provider is not loaded")
    }

    /// With the process's default properties set to `fips=yes` (what `default_properties =
    /// fips=yes` in openssl.cnf does) OpenSSL's default context refuses MD5 and, with no FIPS
    /// provider, SHA-256; Vigil's context is not affected.
    func testDefaultPropertiesOfTheProcessDoNotReachIt() throws {
        XCTAssertEqual(EVP_default_properties_enable_fips(nil, 1), 1)
        defer { _ = EVP_default_properties_enable_fips(nil, 0) }
        let refused = EVP_MD_fetch(nil, "MD5", nil)
        XCTAssertNil(refused, "the default context follows fips=yes")
        EVP_MD_free(refused)
        ERR_clear_error()
        XCTAssertEqual(hex(CryptoLibraryContext.shared.hash("MD5", Array("abc".utf8))), "900150983cd24fb0d6963f7d28e17f72")
        XCTAssertEqual(hex(CryptoLibraryContext.shared.hash("SHA-512", [])).map { String($0.prefix(16)) }, "cf83e1357eefb8bd")
    }
}
