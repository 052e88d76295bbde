import Foundation

/// What the kernel does to a file's mode when its `system.posix_acl_access` attribute is
/// set (`posix_acl_update_mode`), as an unpacking tool sets it after `chmod`: the owner,
/// group and other permission bits become the ACL's (the mask's for the group when there
/// is one), and an ACL the mode says all of (only the three base entries) is not kept.
/// A layer whose header mode disagrees with its ACL thus shows the mode the unpacked file
/// has, not the header's.
enum AccessACL {
    static let attribute = "system.posix_acl_access"

    /// Applies the access ACL among `inode`'s attributes (kept in `tree`) to its mode (an
    /// ACL that is not well formed is left alone: the kernel would refuse it, and the mode stays).
    static func apply(to inode: ImageNode, in tree: ImageTree) {
        guard !inode.isSymlink, let value = tree.xattrs[inode.number]?[attribute],
              let (bits, equivalent) = mode(of: value) else { return }
        inode.permissions = (inode.permissions & ~0o777) | bits
        if equivalent {
            tree.xattrs[inode.number]?[attribute] = nil
            if tree.xattrs[inode.number]?.isEmpty == true { tree.xattrs[inode.number] = nil }
        }
    }

    /// The permission bits an ACL (Linux's xattr form: version 2, then entries of tag,
    /// permissions and id, little-endian) gives, and whether it says no more than a mode.
    static func mode(of value: [UInt8]) -> (bits: UInt32, equivalent: Bool)? {
        guard value.count >= 4, (value.count - 4) % 8 == 0, le(value, 0, 4) == 2 else { return nil }
        var owner: UInt32?, group: UInt32?, other: UInt32?, mask: UInt32?
        var named = false
        for start in stride(from: 4, to: value.count, by: 8) {
            let perm = le(value, start + 2, 2) & 0o7
            switch le(value, start, 2) {
            case 0x01: owner = perm
            case 0x04: group = perm
            case 0x20: other = perm
            case 0x10: mask = perm
            case 0x02, 0x08: named = true
            default: return nil
            }
        }
        guard let owner, let group, let other, !(named && mask == nil) else { return nil }
        return (owner << 6 | (mask ?? group) << 3 | other, !named && mask == nil)
    }

    private static func le(_ bytes: [UInt8], _ start: Int, _ count: Int) -> UInt32 {
        (0..<count).reduce(0) { $0 | UInt32(bytes[start + $1]) << (8 * $1) }
    }
}
