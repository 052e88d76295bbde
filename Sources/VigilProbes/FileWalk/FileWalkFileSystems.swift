/// The file-system limits of a walk: `recurse_file_system` and the pseudo file systems
/// Vigil does not enter.
extension FileWalker {
    /// Whether a device is one of the scanning host's local file systems.
    func isLocal(_ device: UInt64?) -> Bool {
        guard let device, let localDevices else { return false }
        return localDevices.contains(device)
    }

    /// The `recurse_file_system` checks OpenSCAP applies to directories and links.
    func onAllowedFileSystem(_ node: FileWalkNode) -> Bool {
        switch behaviors.fileSystem {
        case .all: return true
        case .local: return isLocal(node.info?.device)
        case .defined: return node.info?.device == startDevice
        }
    }

    /// Remembers /proc, /sys and /dev (and their devices when they are separate mounts)
    /// unless the object's path names them.
    func preparePseudoFileSystems() {
        let rootDevice = source.info("/", followLinks: true)?.device
        for dir in ["/proc", "/sys", "/dev"] where !pathValue.contains(dir.dropFirst()) {
            guard let info = source.info(dir, followLinks: true), info.isDirectory else { continue }
            pseudoIdentities.insert(FileIdentity(device: info.device, inode: info.inode))
            if let rootDevice, info.device != rootDevice { pseudoDevices.insert(info.device) }
        }
    }

    func isPseudoFileSystem(_ node: FileWalkNode) -> Bool {
        guard let info = node.info else { return false }
        return pseudoDevices.contains(info.device)
            || pseudoIdentities.contains(FileIdentity(device: info.device, inode: info.inode))
    }

    /// Devices of the local file systems the scanning host mounts (`fsdev_init`).
    static func localDeviceSet() -> Set<UInt64>? {
        guard let table = ScanningHost.mountTable() else { return nil }
        var devices: Set<UInt64> = []
        for mount in FileWalkMounts.parse(table) where FileWalkMounts.isLocal(type: mount.type) {
            if let device = ScanningHost.device(ofMountPoint: mount.directory) { devices.insert(device) }
        }
        return devices
    }
}
