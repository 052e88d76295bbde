import Foundation
import VigilCore

/// A file an image is read from (an OCI blob, an archive holding blobs, a spool of
/// decompressed layer data), open for `pread` for as long as any part of the image that
/// lies in it is alive. Reads at explicit offsets only: one descriptor serves every thread.
public final class ImageFile: Sendable {
    /// The open descriptor (read-only, or read-write for a spool).
    public let fd: Int32
    /// Where it is, for messages ("" for an unlinked spool).
    public let path: String

    /// Takes ownership of `fd`: it is closed when the last reference goes away.
    public init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
    }

    deinit { close(fd) }
}

/// A run of bytes in an `ImageFile`: a blob inside an archive, or a file's content inside a
/// layer or a spool.
public struct BlobLocation: Sendable {
    public let file: ImageFile
    public let offset: Int64
    public let length: Int64

    public init(file: ImageFile, offset: Int64, length: Int64) {
        self.file = file
        self.offset = offset
        self.length = length
    }
}

/// How a layer's bytes are compressed.
public enum LayerCompression: String, Sendable {
    case none, gzip, zstd
}

/// One layer of an image as its manifest lists it, located in its layout or archive.
public struct LayerBlob: Sendable {
    /// The layer's position, 0 for the lowest.
    public var index: Int
    /// `sha256:...` of the bytes as stored (what the manifest names); nil when nothing
    /// names it (a plain root file-system tarball), and then not verified.
    public var digest: String?
    /// `sha256:...` of the uncompressed tar stream (the config's `rootfs.diff_ids`), when known.
    public var diffID: String?
    /// The media type the manifest gives ("" when none).
    public var mediaType: String
    /// Where its bytes are.
    public var location: BlobLocation
    /// The compression the media type states. The first bytes decide (as containerd
    /// decides, whatever the media type says); this is used only for a blob too short to tell.
    public var compression: LayerCompression?

    public init(index: Int, digest: String?, diffID: String?, mediaType: String, location: BlobLocation,
                compression: LayerCompression?) {
        self.index = index
        self.digest = digest
        self.diffID = diffID
        self.mediaType = mediaType
        self.location = location
        self.compression = compression
    }

    /// How messages name the layer: "layer 2 (sha256:0123abcd…)".
    public var label: String {
        "layer \(index + 1)" + (digest.map { " (\($0.prefix(19))…)" } ?? "")
    }
}

/// An image chosen from its layout or archive: what names it and its layers, lowest first.
public struct ResolvedImage: Sendable {
    public var identity: ImageIdentity
    public var layers: [LayerBlob]

    public init(identity: ImageIdentity, layers: [LayerBlob]) {
        self.identity = identity
        self.layers = layers
    }
}

/// One entry of a layer's tar stream, as its headers (ustar, GNU and PAX) record it.
public struct LayerEntry: Sendable {
    /// The kinds of entry a layer holds.
    public enum Kind: Sendable, Equatable {
        case regular, directory, symlink, hardlink, characterDevice, blockDevice, fifo
    }
    /// The path as stored (PAX `path` or the GNU long name when given), not normalised:
    /// "./etc/passwd", "etc/", "usr/.wh.foo". Bytes that are not UTF-8 are kept (`PathBytes`).
    public var path: String
    public var kind: Kind
    /// The permission, set-id and sticky bits (`07777`).
    public var mode: UInt32
    public var uid: UInt32
    public var gid: UInt32
    /// The content's size (regular files; 0 otherwise).
    public var size: Int64
    /// Seconds since the epoch (PAX times are cut to whole seconds).
    public var modifyTime: Int64
    public var accessTime: Int64?
    public var changeTime: Int64?
    /// A symbolic link's target, or the path a hard link names (as stored).
    public var linkName: String
    public var deviceMajor: UInt32
    public var deviceMinor: UInt32
    /// Extended attributes (PAX `SCHILY.xattr.NAME`; `LIBARCHIVE.xattr.NAME` decoded).
    public var xattrs: [String: [UInt8]]
    /// Where a regular file's content is (in the layer blob itself when it is stored
    /// uncompressed, else in the spool); nil for other kinds.
    public var content: BlobLocation?

    public init(path: String, kind: Kind, mode: UInt32 = 0o644, uid: UInt32 = 0, gid: UInt32 = 0, size: Int64 = 0,
                modifyTime: Int64 = 0, accessTime: Int64? = nil, changeTime: Int64? = nil, linkName: String = "",
                deviceMajor: UInt32 = 0, deviceMinor: UInt32 = 0, xattrs: [String: [UInt8]] = [:],
                content: BlobLocation? = nil) {
        self.path = path
        self.kind = kind
        self.mode = mode
        self.uid = uid
        self.gid = gid
        self.size = size
        self.modifyTime = modifyTime
        self.accessTime = accessTime
        self.changeTime = changeTime
        self.linkName = linkName
        self.deviceMajor = deviceMajor
        self.deviceMinor = deviceMinor
        self.xattrs = xattrs
        self.content = content
    }
}

/// Why an image cannot be scanned: names the image, the layer when one is at fault, and
/// the entry when one is.
public struct ImageError: Error, CustomStringConvertible, Sendable {
    /// The reference as given.
    public var image: String
    /// The layer's label (`LayerBlob.label`), when one is at fault.
    public var layer: String?
    /// The entry's path in the layer, when one is at fault.
    public var entry: String?
    public var message: String

    public init(image: String, layer: String? = nil, entry: String? = nil, message: String) {
        self.image = image
        self.layer = layer
        self.entry = entry
        self.message = message
    }

    public var description: String {
        var out = "image \(image)"
        if let layer { out += ", \(layer)" }
        if let entry { out += ", entry '\(entry)'" }
        return out + ": " + message
    }
}

/// The limits that keep a hostile image from exhausting the scanning machine. Passing one
/// is an `ImageError`, never a silent cut.
public struct ImageLimits: Sendable {
    /// The most bytes all layers may hold uncompressed together.
    public var maxUncompressedBytes: Int64 = 64 << 30
    /// The most a layer may expand (uncompressed / stored bytes) once past `ratioFloor` bytes:
    /// real layers expand 2 to 10 times; gzip cannot pass about 1032, so a lower limit is
    /// what stops a gzip bomb before it fills the temporary directory.
    public var maxExpansionRatio: Int64 = 200
    public var ratioFloor: Int64 = 256 << 20
    /// The most entries all layers may hold together.
    public var maxEntries: Int = 10_000_000
    /// The most bytes of one PAX or GNU long-name header.
    public var maxHeaderBytes: Int = 1 << 20
    /// The most bytes a manifest, index or config may hold.
    public var maxMetadataBytes: Int = 4 << 20
    /// The most bytes of a path inside the image once its links are resolved (the kernel's
    /// PATH_MAX: no tool can unpack a deeper file). Bounds the tree's depth too.
    /// The most names the image's file system may hold at once (files, directories, links,
    /// hard links): its tree is in memory, 0.25 KB a name (0.32 KB when they are all in one
    /// directory, which a walk lists at once), so this keeps a scan under 300 MB whatever
    /// the image. A whole Debian root with desktop and build tools has about 430,000.
    public var maxFiles: Int = 700_000
    public var maxPathBytes: Int = 4096

    public init() {}
}
