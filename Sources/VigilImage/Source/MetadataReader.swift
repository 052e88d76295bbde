import Foundation

/// Reads an image's metadata (index.json, manifest.json, indexes, manifests, configs) from its
/// layout or archive: each file at most `ImageLimits.maxMetadataBytes`, each blob checked
/// against its digest, each parse error naming the file.
struct MetadataReader {
    let image: String
    let store: ImageStore
    let limits: ImageLimits

    /// The blob `digest` names (`blobs/sha256/<hex>`), or an error naming the digest when it
    /// is missing or its size is not the `size` given (-1: not checked).
    func locateBlob(_ digest: String, size: Int64 = -1, what: String) throws(ImageError) -> BlobLocation {
        let hex = try BlobDigest.hex(digest, image: image)
        guard let location = try store.location(of: "blobs/sha256/" + hex, image: image) else {
            throw ImageError(image: image, message: "\(what) \(digest) is missing from the image (no blobs/sha256/\(hex))")
        }
        guard size < 0 || location.length == size else {
            throw ImageError(image: image, message: "\(what) \(digest) holds \(location.length) bytes, its descriptor says \(size)")
        }
        return location
    }

    /// The blob a descriptor names, read, verified against its digest and decoded.
    func readBlob<T: Decodable>(_ descriptor: ContentDescriptor, as type: T.Type, what: String) throws(ImageError) -> (T, [UInt8]) {
        let location = try locateBlob(descriptor.digest, size: descriptor.size, what: what)
        let bytes = try read(location, name: "\(what) \(descriptor.digest)")
        let actual = BlobDigest.sha256(bytes)
        guard actual == descriptor.digest else {
            throw ImageError(image: image, message: "\(what) \(descriptor.digest) does not match its digest (its content is \(actual))")
        }
        return (try decode(bytes, as: type, name: "\(what) \(descriptor.digest)"), bytes)
    }

    /// The file `relative` (index.json, manifest.json), read and decoded; `nil` when absent.
    func readFile<T: Decodable>(_ relative: String, as type: T.Type) throws(ImageError) -> T? {
        guard let location = try store.location(of: relative, image: image) else { return nil }
        return try decode(try read(location, name: relative), as: type, name: relative)
    }

    /// The bytes of `location`, refused past `maxMetadataBytes`.
    func read(_ location: BlobLocation, name: String) throws(ImageError) -> [UInt8] {
        guard location.length <= Int64(limits.maxMetadataBytes) else {
            throw ImageError(image: image, message: "\(name) holds \(location.length) bytes, over the limit of "
                + "\(limits.maxMetadataBytes) bytes for image metadata")
        }
        return try ImageStore.read(location.file, at: location.offset, count: Int(location.length), image: image)
    }

    func decode<T: Decodable>(_ bytes: [UInt8], as type: T.Type, name: String) throws(ImageError) -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(bytes))
        } catch let error as DecodingError {
            throw ImageError(image: image, message: "\(name) is not valid: \(MetadataReader.describe(error))")
        } catch {
            throw ImageError(image: image, message: "\(name) is not valid JSON: \(error)")
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return keys.isEmpty ? "" : " at \(keys)"
        }
        switch error {
        case .keyNotFound(let key, let context): return "missing field '\(key.stringValue)'\(path(context))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context): return "wrong type\(path(context))"
        case .dataCorrupted(let context): return "malformed JSON\(path(context))"
        @unknown default: return "\(error)"
        }
    }
}
