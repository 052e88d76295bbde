import CZlib
import Foundation
import FuzzSupport
import VigilCore
import VigilImage
import VigilTarget

/// Fuzzes image layers: the input (after its first byte) is one layer's stored bytes, read
/// (`LayerReader`), applied (`LayerApplier`) and walked through the `ImageTarget` it makes.
/// The first byte chooses: bit 0 gzips the bytes first (the decompressor and the spool
/// are in the path), bit 1 stacks the layer on itself (whiteouts and replacements across
/// layers). `ImageError`s are expected; a crash, hang or broken invariant is a finding.
enum Harness {
    static let limits: ImageLimits = {
        var limits = ImageLimits()
        limits.maxUncompressedBytes = 64 << 20
        limits.maxEntries = 100_000
        return limits
    }()

    static func run(_ bytes: [UInt8]) {
        guard let mode = bytes.first else { return }
        let body = Array(bytes.dropFirst())
        let stored = mode & 1 == 1 ? gzip(body) : body
        guard let location = blob(stored) else { return }
        let layers = (0..<(mode & 2 == 2 ? 2 : 1)).map {
            LayerBlob(index: $0, digest: nil, diffID: nil, mediaType: "", location: location, compression: nil)
        }
        let image = ResolvedImage(identity: ImageIdentity(reference: "fuzz:layer", name: "fuzz"), layers: layers)
        let target: ImageTarget
        do {
            target = try ImageOpener.assemble(image, image: "fuzz:layer", limits: limits)
        } catch let error as ImageError {
            FuzzInput.check(error.image == "fuzz:layer" && !error.message.isEmpty, "an ImageError names no image: \(error)")
            return
        } catch {
            FuzzInput.check(false, "not an ImageError: \(error)")
            return
        }
        walk(target)
    }

    /// Every path of the image, each checked as a scan would see it.
    static func walk(_ target: ImageTarget) {
        var pending = ["/"]
        var visited = 0
        while let dir = pending.popLast(), visited < 200_000 {
            guard case .success(let entries) = target.directoryEntries(dir) else {
                FuzzInput.check(false, "a listed directory cannot be listed: \(dir)")
                return
            }
            for entry in entries {
                visited += 1
                let path = dir == "/" ? "/" + entry.name : dir + "/" + entry.name
                FuzzInput.check(!entry.name.isEmpty && !entry.name.contains("/") && entry.name != "." && entry.name != "..",
                                "a directory holds the name '\(entry.name)'")
                guard case .success(let info) = target.statResult(path, followLinks: false) else {
                    FuzzInput.check(false, "a listed entry cannot be stat'ed: \(path)")
                    return
                }
                FuzzInput.check(entry.info == info, "listing and lstat disagree on \(path)")
                if case .success(let canonical) = target.canonicalPath(path) {
                    FuzzInput.check(canonical.hasPrefix("/") && !canonical.contains("/../"), "canonical path \(canonical)")
                }
                switch info.mode & UInt32(S_IFMT) {
                case UInt32(S_IFDIR): pending.append(path)
                case UInt32(S_IFLNK): FuzzInput.check(target.readLink(path) != nil, "a link without a target: \(path)")
                case UInt32(S_IFREG):
                    if let content = try? target.readFile(path, limit: 1 << 20) {
                        FuzzInput.check(Int64(content.count) == info.size, "read \(content.count) of \(info.size) bytes: \(path)")
                    }
                default: break
                }
            }
        }
    }

    /// The bytes in an unlinked temporary file, as a layer blob lies in its layout.
    static func blob(_ bytes: [UInt8]) -> BlobLocation? {
        var template = Array(FuzzScratch.path("layer-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { return nil }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        let written = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        let file = ImageFile(fd: fd, path: "")
        guard written == bytes.count else { return nil }
        return BlobLocation(file: file, offset: 0, length: Int64(bytes.count))
    }

    /// `bytes` as one gzip member (zlib's deflate with the gzip wrapper).
    static func gzip(_ bytes: [UInt8]) -> [UInt8] {
        var stream = z_stream()
        guard deflateInit2_(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
                            ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return bytes }
        defer { deflateEnd(&stream) }
        var input = bytes
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(bytes.count))) + 64)
        let status = input.withUnsafeMutableBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                stream.next_in = inBuf.baseAddress
                stream.avail_in = uInt(inBuf.count)
                stream.next_out = outBuf.baseAddress
                stream.avail_out = uInt(outBuf.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END else { return bytes }
        return Array(output.prefix(Int(stream.total_out)))
    }

    static func describe(_ bytes: [UInt8]) -> String {
        "\(bytes.count) bytes, mode \(bytes.first ?? 0)"
    }
}
