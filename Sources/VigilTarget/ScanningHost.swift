import Foundation

/// Facts of the machine running the scan, whatever the target: OpenSCAP reads the host's
/// mount table for `recurse_file_system="local"` even with an offline root, since the
/// files it walks live on the host's devices.
package enum ScanningHost {
    /// The mount table (`/proc/self/mounts`), or nil when it cannot be read.
    package static func mountTable() -> String? {
        guard let data = FileManager.default.contents(atPath: "/proc/self/mounts") else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// The device number of a mount point.
    package static func device(ofMountPoint path: String) -> UInt64? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return UInt64(st.st_dev)
    }
}
