import COpenSSL
import Foundation
import VigilCrypto
import VigilOVAL

/// `filehash58_object` (independent): message digests of the files selected by
/// `filepath`, or `path` and `filename`, one item per file and per hash type that the
/// `hash_type` entity selects (it is compared with each of MD5, SHA-1, SHA-224, SHA-256,
/// SHA-384 and SHA-512, so `pattern match` works), as OpenSCAP 1.3.7 reports them.
/// Digests are computed with the system libcrypto (EVP) in Vigil's own library context
/// (`CryptoLibraryContext`, so a host configured for FIPS still hashes MD5) and written in
/// lowercase hex.
///
/// A file that cannot be opened gives an item with status `error` and no `hash`; a
/// directory (including a link to one) gives no item. Vigil hashes only regular files:
/// for a fifo, socket or device it gives no item (OpenSCAP would block or read it).
package struct FileHashProbe: FileWalkingProbe {
    package init() {}

    package var objectTypes: [String] { ["filehash58_object"] }

    /// The hash types OVAL 5.11 defines, in the order OpenSCAP tries them.
    package static let hashTypes = ["MD5", "SHA-1", "SHA-224", "SHA-256", "SHA-384", "SHA-512"]

    package func collect(_ object: ResolvedObject, context: ProbeContext) -> CollectedObject {
        guard object.entity("hash_type") != nil else { return .error("filehash58_object needs a hash_type") }
        return collectWalks(object, context: context)
    }

    /// A run: its object (whose filters judge the items) and the hash types it selects.
    struct Run {
        let object: ResolvedObject
        let types: [String]
    }

    func prepare(_ variant: FileObjectVariant, context: ProbeContext,
                 collection: inout FileProbeCollection) -> (request: FileWalkRequest, run: Run)? {
        guard let hashEntity = variant.entity("hash_type") else { return nil }
        guard let request = collection.request({ try FileWalkRequest(variant: variant) }) else { return nil }
        let types = FileHashProbe.hashTypes.filter { hashEntity.evaluate($0) == .true }
        return (request, Run(object: variant.object, types: types))
    }

    func visit(_ entry: FileWalkEntry, run: Run, context: ProbeContext, into collection: inout FileProbeCollection) {
        guard entry.filename != nil else { return }
        for type in run.types {
            let (item, message) = FileHashProbe.item(for: entry, hashType: type, target: context.target)
            if let item, run.object.keeps(item) { collection.add(item) }
            if let message { collection.messages.append(message) }
        }
    }

    /// The filehash58_item of one file and hash type (nil when there is none to report),
    /// and a message when the item is an error.
    static func item(for entry: FileWalkEntry, hashType: String, target: Target) -> (OVALItem?, String?) {
        let filepath = entry.filepath
        var fields = [
            OVALItemField("filepath", filepath),
            OVALItemField("path", entry.path),
            OVALItemField("filename", entry.filename ?? ""),
            OVALItemField("hash_type", hashType),
        ]
        let digest: String?
        do {
            digest = try target.withOpenFile(filepath) { file -> String? in
                try FileHashProbe.hexDigest(file, hashType: hashType)
            }
        } catch let error as TargetError where error.kind == .directory || error.kind == .notRegular {
            return (nil, nil)
        } catch {
            return (OVALItem(status: .error, fields: fields), "Can't open \"\(filepath)\": \(error)")
        }
        guard let digest else { return (nil, nil) }
        fields.append(OVALItemField("hash", digest))
        return (OVALItem(fields: fields), nil)
    }

    /// The hex digest of a file's bytes.
    static func hexDigest(_ file: TargetFile, hashType: String) throws -> String {
        let path = file.path
        guard let md = evpDigest(hashType) else {
            throw TargetError(path: path, message: "hash type \(hashType) is not available")
        }
        guard let ctx = EVP_MD_CTX_new() else { throw TargetError(path: path, message: "out of memory") }
        defer { EVP_MD_CTX_free(ctx) }
        guard EVP_DigestInit_ex(ctx, md, nil) == 1 else {
            throw TargetError(path: path, message: "cannot compute \(hashType)")
        }
        try file.forEachChunk { chunk in
            guard EVP_DigestUpdate(ctx, chunk.baseAddress, chunk.count) == 1 else {
                throw TargetError(path: path, message: "cannot compute \(hashType)")
            }
        }
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        guard EVP_DigestFinal_ex(ctx, &out, &length) == 1 else {
            throw TargetError(path: path, message: "cannot compute \(hashType)")
        }
        return out.prefix(Int(length)).map { String(format: "%02x", $0) }.joined()
    }

    /// The EVP digest of an OVAL hash type (OpenSSL knows each under that name).
    static func evpDigest(_ hashType: String) -> OpaquePointer? {
        hashTypes.contains(hashType) ? CryptoLibraryContext.shared.digest(name: hashType) : nil
    }
}

/// Digests of files on the scanning host (not the target), e.g. of content files.
package enum HostFileDigest {
    /// The hex SHA-256 of the regular file at `path` (a FIFO or device swapped in is refused,
    /// never read: the open does not block).
    package static func sha256(_ path: String) throws -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
        guard fd >= 0 else { throw TargetError(path: path, message: "cannot open: \(TargetFailure(errno))") }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG else {
            throw TargetError(path: path, message: "not a regular file; refused")
        }
        return try FileHashProbe.hexDigest(TargetFile(fd: fd, path: path), hashType: "SHA-256")
    }

    /// The hex SHA-256 of `bytes` (the data stream compiled from a rule folder); throws only
    /// if OpenSSL cannot hash at all.
    package static func sha256(bytes: [UInt8]) throws -> String {
        guard let digest = CryptoLibraryContext.shared.hash("SHA-256", bytes) else {
            throw TargetError(path: "(compiled content)", message: "cannot compute SHA-256")
        }
        return digest.map { String(format: "%02x", $0) }.joined()
    }
}
