import Foundation

/// Passes another stream's bytes through unchanged while taking their SHA-256, so a layer's
/// stored bytes and its uncompressed tar stream are each hashed once, on the way.
final class DigestingStream: ByteStream {
    private let inner: ByteStream
    private let hasher: SHA256Hasher
    /// How many bytes have passed.
    private(set) var count: Int64 = 0
    /// True once the inner stream has reported its end.
    private(set) var atEnd = false
    private var digest: String?

    init(_ inner: ByteStream) throws {
        self.inner = inner
        self.hasher = try SHA256Hasher()
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = try inner.read(into: buffer)
        if n == 0 {
            atEnd = true
            return 0
        }
        hasher.update(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        count += Int64(n)
        return n
    }

    /// Reads what is left of the stream (hashing it) and returns the digest of everything.
    func finish() throws -> String {
        if !atEnd {
            let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: layerChunkSize, alignment: 16)
            defer { scratch.deallocate() }
            while try read(into: scratch) > 0 {}
        }
        if let digest { return digest }
        let value = hasher.finish()
        digest = value
        return value
    }
}
