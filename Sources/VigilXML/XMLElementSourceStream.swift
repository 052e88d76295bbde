import CZlib

#if canImport(Glibc)
import Glibc
#endif

/// Bytes handed to a writer one piece at a time (a report file being written).
package typealias XMLByteSink = (UnsafeRawBufferPointer) throws -> Void

extension XMLElementSource {
    /// The element as `document(appending:)` makes it, handed to `sink` piece by piece.
    /// A plain (uncompressed) source file is read again in 64 KiB chunks as it is copied
    /// rather than held whole: the copy of a 6 MB benchmark costs no more memory than a
    /// chunk. The file's size and CRC-32 are checked once it has been read to its end; when
    /// they differ from what was parsed this throws, after some bytes went to `sink`, so the
    /// caller must discard what it wrote (an atomic file write does).
    package func writeDocument(appending content: [UInt8], to sink: XMLByteSink) throws {
        try Self.emit(Array(XMLElementSource.declaration.utf8), sink)
        if case .file(let path, let count, let crc) = origin {
            let copy = SourceFileCopy(path: path, count: count, crc: crc)
            try copy.copy(deciding: span.contentEnd, { pieces(content, empty: $0 == UInt8(ascii: "/")) }, to: sink) {
                // Compressed: inflated in memory, as it was parsed.
                var out: [UInt8] = []
                try write(into: &out, appending: content)
                try Self.emit(out, sink)
            }
        } else {
            var out: [UInt8] = []
            try write(into: &out, appending: content)
            try Self.emit(out, sink)
        }
        try Self.emit([UInt8(ascii: "\n")], sink)
    }

    /// What `write(into:appending:)` writes, as ranges of the source file and bytes of
    /// its own, in order; `empty` when the element is written `<name .../>`.
    private func pieces(_ content: [UInt8], empty: Bool) -> [SourceFileCopy.Piece] {
        var pieces: [SourceFileCopy.Piece] = [.file(span.start..<span.nameEnd), .bytes(inheritedDeclarations)]
        if empty, content.isEmpty {
            pieces.append(.file(span.nameEnd..<span.end))
        } else if empty {
            pieces += [.file(span.nameEnd..<span.contentEnd),
                       .bytes([UInt8(ascii: ">")] + content + Array("</".utf8) + qualifiedName + [UInt8(ascii: ">")])]
        } else {
            pieces += [.file(span.nameEnd..<span.contentEnd), .bytes(content), .file(span.contentEnd..<span.end)]
        }
        return pieces
    }

    static func emit(_ bytes: [UInt8], _ sink: XMLByteSink) throws {
        try bytes.withUnsafeBytes { try sink($0) }
    }
}

/// One pass over a content file: the pieces of it a copy needs, handed on as they are
/// read, and every byte counted into the size and CRC-32 the parse recorded.
struct SourceFileCopy {
    /// A range of the file, or bytes of the copy's own.
    enum Piece {
        case file(Range<Int>)
        case bytes([UInt8])
    }

    let path: String
    let count: Int
    let crc: UInt32

    /// Copies the pieces `plan` gives, from the byte at `offset` (nil past the end), for
    /// a plain file; calls `compressed` instead when the file is gzip or bzip2.
    func copy(deciding offset: Int, _ plan: (UInt8?) -> [Piece], to sink: XMLByteSink,
              compressed: () throws -> Void) throws {
        let fd = try open()
        defer { close(fd) }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var base = 0, filled = 0, sum = crc32(0, nil, 0), plain = false
        func next() throws -> Bool {
            base += filled
            filled = try InputFile.readChunk(fd, into: &chunk, path: path)
            sum = chunk.withUnsafeBufferPointer { crc32(sum, $0.baseAddress, uInt(filled)) }
            // Never more than was parsed: a file that grew is not read to its new end.
            guard !plain || base + filled <= count else { throw changed() }
            return filled > 0
        }
        guard try next() else { throw changed() }
        if Decompression.format(of: Array(chunk[0..<min(filled, 8)])) != nil { return try compressed() }
        plain = true
        guard filled <= count else { throw changed() }
        var decider: UInt8 = 0
        for piece in plan(pread(fd, &decider, 1, off_t(offset)) == 1 ? decider : nil) {
            switch piece {
            case .bytes(let bytes): try XMLElementSource.emit(bytes, sink)
            case .file(let range):
                var at = range.lowerBound
                while at < range.upperBound {
                    while at >= base + filled { guard try next() else { throw changed() } }
                    let upTo = min(range.upperBound, base + filled)
                    try chunk.withUnsafeBytes { try sink(UnsafeRawBufferPointer(rebasing: $0[(at - base)..<(upTo - base)])) }
                    at = upTo
                }
            }
        }
        while try next() {}
        guard base == count, UInt32(sum) == crc else { throw changed() }
    }

    private func open() throws -> Int32 {
        do { return try InputFile.openRegular(path, limit: XMLLimits.maxDocumentBytes).fd } catch let e as InputFileError {
            throw XMLError(file: e.file, line: nil, message: e.message)
        }
    }

    private func changed() -> XMLError {
        XMLError(file: path, line: nil, message: "has changed since it was loaded; it cannot be copied")
    }
}
