import COpenSSL
import Foundation
import VigilOVAL
import XCTest
@testable import VigilProbes

final class FileHashProbeTests: XCTestCase {
    /// The digests of "abc" published with each algorithm (RFC 1321, FIPS 180).
    private let abc = [
        "MD5": "900150983cd24fb0d6963f7d28e17f72",
        "SHA-1": "a9993e364706816aba3e25717850c26c9cd0d89d",
        "SHA-224": "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7",
        "SHA-256": "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        "SHA-384": "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7",
        "SHA-512": "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
    ]

    private func collect(_ fx: FileFixture, _ entities: [ResolvedEntity]) throws -> CollectedObject {
        FileHashProbe().collect(Obj.object("filehash58_object", entities, family: "independent"), context: try fx.context())
    }

    func testEachSelectedHashTypeGivesAnItem() throws {
        let fx = try FileFixture()
        try fx.file("/etc/abc", "abc")
        let result = try collect(fx, [Obj.entity("filepath", "/etc/abc"), Obj.entity("hash_type", ".*", .patternMatch)])
        XCTAssertEqual(result.values("hash_type"), FileHashProbe.hashTypes)
        for item in result.items {
            XCTAssertEqual(item.value("hash"), abc[item.value("hash_type") ?? ""], item.value("hash_type") ?? "")
        }
        XCTAssertEqual(result.items.first?.fields.map(\.name), ["filepath", "path", "filename", "hash_type", "hash"])
    }

    /// A host whose openssl.cnf sets `default_properties = fips=yes` makes OpenSSL's default
    /// context refuse MD5 (and, with no FIPS provider, everything); hashing does not use it.
    func testDefaultPropertiesAskingForFIPSDoNotStopHashing() throws {
        let fx = try FileFixture()
        try fx.file("/etc/abc", "abc")
        XCTAssertEqual(EVP_default_properties_enable_fips(nil, 1), 1)
        defer { _ = EVP_default_properties_enable_fips(nil, 0) }
        let result = try collect(fx, [Obj.entity("filepath", "/etc/abc"), Obj.entity("hash_type", ".*", .patternMatch)])
        XCTAssertEqual(result.items.count, FileHashProbe.hashTypes.count, "\(result.messages)")
        for item in result.items {
            XCTAssertEqual(item.value("hash"), abc[item.value("hash_type") ?? ""], item.value("hash_type") ?? "")
        }
        XCTAssertEqual(try HostFileDigest.sha256(bytes: Array("abc".utf8)), abc["SHA-256"])
    }

    func testOneHashTypeAndLinksFollowed() throws {
        let fx = try FileFixture()
        try fx.file("/etc/abc", "abc")
        try fx.link("/etc/abc.link", to: "abc")
        try fx.dir("/etc/dir")
        let result = try collect(fx, [Obj.entity("path", "/etc"), Obj.entity("filename", "^abc", .patternMatch),
                                      Obj.entity("hash_type", "SHA-256")])
        XCTAssertEqual(Set(result.values("filepath")), ["/etc/abc", "/etc/abc.link"])
        XCTAssertEqual(result.values("hash"), [abc["SHA-256"]!, abc["SHA-256"]!])
    }

    func testEmptyFileAndDirectories() throws {
        let fx = try FileFixture()
        try fx.file("/e", "")
        try fx.dir("/d")
        let empty = try collect(fx, [Obj.entity("filepath", "/e"), Obj.entity("hash_type", "SHA-1")])
        XCTAssertEqual(empty.values("hash"), ["da39a3ee5e6b4b0d3255bfef95601890afd80709"])
        let dir = try collect(fx, [Obj.entity("path", "/d"), Obj.nilFilename, Obj.entity("hash_type", "SHA-1")])
        XCTAssertEqual(dir.flag, .doesNotExist)
    }

    func testFifoIsNotRead() throws {
        let fx = try FileFixture()
        try fx.dir("/run")
        XCTAssertEqual(mkfifo(fx.host("/run/pipe"), 0o600), 0)
        let result = try collect(fx, [Obj.entity("filepath", "/run/pipe"), Obj.entity("hash_type", "MD5")])
        XCTAssertTrue(result.items.isEmpty)
    }

    /// The content digest of the scan refuses a FIFO at once (content swapped after loading)
    /// and digests a regular file.
    func testHostDigestRefusesAFifoWithoutBlocking() throws {
        let fx = try FileFixture()
        try fx.dir("/run")
        XCTAssertEqual(mkfifo(fx.host("/run/pipe"), 0o600), 0)
        XCTAssertThrowsError(try HostFileDigest.sha256(fx.host("/run/pipe"))) { error in
            XCTAssertTrue("\(error)".contains("not a regular file"), "\(error)")
        }
        try fx.file("/etc/abc", "abc")
        XCTAssertEqual(try HostFileDigest.sha256(fx.host("/etc/abc")),
                       "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
