import Foundation
import VigilTarget

/// Reads one layer of an image as a stream, once: its stored bytes verified against the
/// layer's digest, decompressed (gzip, zstd or none, as its first bytes show), verified
/// against its diff ID, and parsed as tar, each entry handed on as it comes.
///
/// Nothing is unpacked. A regular file's content is a range of the layer blob itself when the
/// layer is stored uncompressed, or of a private spool file (unlinked at birth) that a
/// compressed layer's file contents are written to as they are decompressed.
public enum LayerReader {
    /// Reads `layer` of `image` (the reference as given, for messages), calling `entry` for
    /// each entry in order. `budget` carries the image's `ImageLimits` and what its layers
    /// have used of them. Spool files are made in `spoolDirectory` (default `$TMPDIR`, else
    /// /tmp). Both digests are checked after the whole stream is read, before returning: when
    /// this throws, discard every entry it gave. Errors are `ImageError`s naming the image,
    /// the layer and the entry at fault; errors thrown by `entry` pass through as they are.
    /// Returns the digest of the stored bytes (`sha256:<hex>`), computed even when nothing
    /// names it (a root file-system tarball is then known by it).
    @discardableResult
    public static func read(_ layer: LayerBlob, image: String, budget: ExpansionBudget,
                            spoolDirectory: String? = nil, entry: (LayerEntry) throws -> Void) throws -> String {
        let pipeline: LayerPipeline
        do {
            pipeline = try LayerPipeline(layer, budget: budget, spoolDirectory: spoolDirectory)
        } catch let fault as LayerFault {
            throw ImageError(image: image, layer: layer.label, entry: fault.entry.map(PathBytes.display),
                             message: fault.message)
        }
        do {
            try pipeline.readEntries(budget: budget, entry: entry)
        } catch let fault as LayerFault {
            // A damaged layer often shows first as bad compressed data or a bad tar header:
            // when its stored digest is wrong too, that is what to say.
            if let mismatch = pipeline.storedDigestMismatch() {
                throw ImageError(image: image, layer: layer.label, message: "\(mismatch) (reading it failed too: \(fault.message))")
            }
            throw ImageError(image: image, layer: layer.label, entry: fault.entry.map(PathBytes.display), message: fault.message)
        }
        do {
            return try pipeline.verify()
        } catch let fault as LayerFault {
            throw ImageError(image: image, layer: layer.label, message: fault.message)
        }
    }
}

/// The streams one layer is read through, stacked: blob, stored digest, decompressor,
/// diff-ID digest, budget meter, tar.
final class LayerPipeline {
    let layer: LayerBlob
    let compression: LayerCompression
    private let storedDigest: (stream: DigestingStream, expected: String?)
    private let diffDigest: (stream: DigestingStream, expected: String)?
    private let tar: TarReader
    private let spool: SpoolFile?

    init(_ layer: LayerBlob, budget: ExpansionBudget, spoolDirectory: String?) throws {
        self.layer = layer
        compression = try CompressionDetection.compression(of: layer)
        let expectedDigest = try layer.digest.map(LayerDigestSpelling.validated)
        let expectedDiffID = try layer.diffID.map(LayerDigestSpelling.validated)
        // The stored bytes are always hashed: checked when the manifest names a digest,
        // reported either way (a root file-system tarball is known by it).
        let storedStream = try DigestingStream(BlobStream(layer.location))
        storedDigest = (storedStream, expectedDigest)
        let stored: ByteStream = storedStream
        var plain: ByteStream
        switch compression {
        case .none: plain = stored
        case .gzip: plain = try GzipStream(stored)
        case .zstd: plain = try ZstdStream(stored)
        }
        // Stored uncompressed, the tar stream is the stored bytes: one digest serves both.
        if let expectedDiffID, compression == .none {
            diffDigest = (storedStream, expectedDiffID)
        } else if let expectedDiffID {
            let stream = try DigestingStream(plain)
            diffDigest = (stream, expectedDiffID)
            plain = stream
        } else {
            diffDigest = nil
        }
        if compression == .none {
            // Stored as it is: its size is known, charged at once, and content not asked for
            // can be skipped rather than read when nothing is hashed.
            try budget.charge(bytes: layer.location.length)
            tar = TarReader(plain, limits: budget.limits)
            spool = nil
        } else {
            tar = TarReader(MeteredStream(plain, budget: budget, storedBytes: layer.location.length), limits: budget.limits)
            spool = try SpoolFile(directory: spoolDirectory)
        }
    }

    /// Reads every entry, then the rest of the stream (what follows the end of the archive).
    func readEntries(budget: ExpansionBudget, entry: (LayerEntry) throws -> Void) throws {
        while let next = try tar.next() {
            try budget.chargeEntry()
            var item = next.entry
            if item.kind == .regular {
                item.content = try content(of: next)
            }
            try entry(item)
        }
        try tar.drain()
        try spool?.flush()
    }

    /// Checks both digests (after `readEntries`); returns the stored bytes' digest.
    func verify() throws -> String {
        if let expected = storedDigest.expected { try check((storedDigest.stream, expected), what: "stored content", source: "the manifest") }
        try check(diffDigest, what: "uncompressed tar stream", source: "the image config's diff_ids")
        return try storedDigest.stream.finish()
    }

    /// Where the entry's content is: in the blob for an uncompressed layer (read through
    /// only to be hashed), else copied to the spool as it is decompressed.
    private func content(of next: TarEntry) throws -> BlobLocation {
        let size = next.entry.size
        guard let spool else {
            try tar.readContent(nil)
            return BlobLocation(file: layer.location.file, offset: layer.location.offset + next.dataOffset, length: size)
        }
        let start = spool.size
        try tar.readContent { try spool.append($0) }
        return BlobLocation(file: spool.file, offset: start, length: size)
    }

    private func check(_ digest: (stream: DigestingStream, expected: String)?, what: String, source: String) throws {
        guard let digest else { return }
        let actual = try digest.stream.finish()
        if actual != digest.expected {
            throw LayerFault(mismatchMessage(actual: actual, expected: digest.expected, what: what, source: source))
        }
    }

    /// After a failure: the mismatch message when the stored bytes (read to their end
    /// now) do not have the expected digest; nil when they do, or cannot be read.
    func storedDigestMismatch() -> String? {
        guard let expected = storedDigest.expected, let actual = try? storedDigest.stream.finish(), actual != expected else {
            return nil
        }
        return mismatchMessage(actual: actual, expected: expected, what: "stored content", source: "the manifest")
    }

    private func mismatchMessage(actual: String, expected: String, what: String, source: String) -> String {
        "digest mismatch: the layer's \(what) has digest \(actual), not \(expected) as \(source) says"
    }
}
