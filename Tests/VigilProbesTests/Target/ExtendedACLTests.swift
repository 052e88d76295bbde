import CVigilSystem
import Foundation
import VigilTarget
import XCTest

/// `hasExtendedACL` reads the POSIX ACL extended attributes through the C shim's `getxattr`,
/// on the live host and on an offline root alike.
final class ExtendedACLTests: XCTestCase {
    /// A `system.posix_acl_access` value: version 2, then (tag, permissions, id) entries.
    private func acl(_ entries: [(tag: UInt16, perm: UInt16, id: UInt32)]) -> [UInt8] {
        var out: [UInt8] = [2, 0, 0, 0]
        for e in entries {
            out += [UInt8(e.tag & 0xFF), UInt8(e.tag >> 8), UInt8(e.perm & 0xFF), UInt8(e.perm >> 8)]
            out += withUnsafeBytes(of: e.id.littleEndian, Array.init)
        }
        return out
    }

    func testAnAccessACLWithANamedUserIsExtendedOnHostAndRoot() throws {
        let fx = try FileFixture()
        try fx.file("/plain", "x")
        try fx.file("/acl", "x")
        // user::rw-, user:1000:r--, group::r--, mask::r--, other::r--
        let value = acl([(0x01, 6, UInt32.max), (0x02, 4, 1000), (0x04, 4, UInt32.max), (0x10, 4, UInt32.max),
                         (0x20, 4, UInt32.max)])
        let set = value.withUnsafeBytes { setxattr(fx.host("/acl"), "system.posix_acl_access", $0.baseAddress, $0.count, 0) }
        if set != 0 { throw XCTSkip("no POSIX ACL support here: \(String(cString: strerror(errno)))") }
        let root = try RootTarget(fx.root)
        XCTAssertEqual(root.hasExtendedACL("/acl"), true)
        XCTAssertEqual(root.hasExtendedACL("/plain"), false)
        XCTAssertEqual(HostTarget().hasExtendedACL(fx.host("/acl")), true)
        XCTAssertEqual(HostTarget().hasExtendedACL(fx.host("/plain")), false)
        XCTAssertNil(root.hasExtendedACL("/missing"))
    }
}
