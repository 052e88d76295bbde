import Foundation

/// Tells a layer's compression from its first bytes: for layers whose media type does not
/// say (docker-archive, plain root file-system tarballs) and for those whose media type is wrong.
enum CompressionDetection {
    /// The layer's compression, as its first bytes show it, whatever its media type states
    /// (containerd does the same: images with a plain tar labelled gzip, or the reverse, run
    /// there). The stated compression decides only for a blob too short to show any magic.
    static func compression(of layer: LayerBlob) throws -> LayerCompression {
        if layer.location.length < 4, let stated = layer.compression { return stated }
        return try detect(layer.location)
    }

    /// gzip (1f 8b 08), zstd (a frame, 28 b5 2f fd, or a skippable frame, 5? 2a 4d 18) or
    /// none; bzip2 (`BZh1`..`BZh9` and a block or end magic) and xz are recognised only to be refused clearly.
    static func detect(_ location: BlobLocation) throws -> LayerCompression {
        var head = [UInt8](repeating: 0, count: 10)
        let got = try head.withUnsafeMutableBytes { buffer -> Int in
            let stream = BlobStream(location)
            var total = 0
            while total < buffer.count {
                let n = try stream.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[total...]))
                if n == 0 { break }
                total += n
            }
            return total
        }
        return try detect(prefix: head[0..<got])
    }

    /// The compression the bytes `prefix` (the first few of a layer) begin.
    static func detect(prefix: ArraySlice<UInt8>) throws -> LayerCompression {
        let b = Array(prefix)
        if b.starts(with: [0x1F, 0x8B, 0x08]) { return .gzip }
        if b.starts(with: [0x28, 0xB5, 0x2F, 0xFD]) { return .zstd }
        if b.count >= 4, b[0] & 0xF0 == 0x50, b[1] == 0x2A, b[2] == 0x4D, b[3] == 0x18 { return .zstd }
        if b.count >= 10, b.starts(with: Array("BZh".utf8)), (0x31...0x39).contains(b[3]),
           [[0x31, 0x41, 0x59, 0x26, 0x53, 0x59], [0x17, 0x72, 0x45, 0x38, 0x50, 0x90]].contains(Array(b[4...9])) {
            throw LayerFault("unsupported compression: the layer is bzip2-compressed (only gzip, zstd or none)")
        }
        if b.starts(with: [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]) {
            throw LayerFault("unsupported compression: the layer is xz-compressed (only gzip, zstd or none)")
        }
        return .none
    }
}
