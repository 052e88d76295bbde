import Foundation

/// A forward-only source of bytes: a stored layer blob, a digest taken on the way, a
/// decompressor. Streams are stacked, each reading the one below in large chunks.
protocol ByteStream: AnyObject {
    /// Fills the start of `buffer` with the next bytes and returns how many: 0 only at the
    /// end of the stream (and then again on every later call).
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}

/// A stream that can pass over bytes without reading them (a blob read in place): the tar
/// reader skips content it is not asked for, so indexing an uncompressed archive or layer
/// costs a few reads per entry, not a read of every byte.
protocol SkippableStream: ByteStream {
    /// Passes over up to `count` bytes; returns how many (fewer only at the end).
    func skip(_ count: Int64) throws -> Int64
}

/// The size of the buffers streams read into and pass on (1 MiB).
let layerChunkSize = 1 << 20

/// A fault in a layer's bytes, found by a stream or the tar reader; `LayerReader` turns it
/// into an `ImageError` naming the image and the layer.
struct LayerFault: Error, CustomStringConvertible {
    var message: String
    /// The entry at fault, when one is (as stored, `PathBytes` string).
    var entry: String?

    init(_ message: String, entry: String? = nil) {
        self.message = message
        self.entry = entry
    }

    var description: String { message }
}

/// The text of the C library's `errno` value.
func systemErrorText(_ code: Int32) -> String {
    String(cString: strerror(code))
}
