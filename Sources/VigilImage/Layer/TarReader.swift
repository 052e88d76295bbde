import Foundation
import VigilTarget

/// One entry of a tar stream and where its content starts in the stream.
struct TarEntry {
    /// The entry, its content not yet located (`content` nil).
    var entry: LayerEntry
    /// The offset in the stream of the content's first byte.
    var dataOffset: Int64
}

/// Reads a tar stream entry by entry: ustar, GNU (long names 'L' and 'K', base-256
/// numbers) and PAX ('x' for one entry, 'g' for all later ones) headers, checksums verified.
///
/// The archive ends at a zero block followed by another zero block or by the end of the
/// stream, or at the end of the stream right after an entry (many tools write no zero
/// blocks). A zero block followed by anything else, or a stream ending inside a header or a
/// content, is an error. What follows the end-of-archive blocks (record padding) is ignored.
final class TarReader {
    /// The longest path or link target accepted, in bytes (Linux's PATH_MAX).
    static let maxPathBytes = 4096

    let input: TarInput
    let limits: ImageLimits
    /// Records of the global PAX headers met so far.
    private var globals = PaxRecords()
    private var dataLeft: Int64 = 0
    private var paddingLeft: Int64 = 0
    private var currentPath: String?
    private var ended = false
    private let block = UnsafeMutableRawBufferPointer.allocate(byteCount: TarHeader.blockSize, alignment: 16)

    init(_ stream: ByteStream, limits: ImageLimits) {
        input = TarInput(stream)
        self.limits = limits
    }

    deinit { block.deallocate() }

    /// The next entry, nil at the end of the archive. The previous entry's content, unless
    /// taken by `readContent`, is skipped.
    func next() throws -> TarEntry? {
        guard !ended else { return nil }
        try readContent(nil)
        do {
            return try nextHeaders()
        } catch var fault as LayerFault where fault.entry == nil {
            // No entry to name: say where the damage is.
            if let previous = currentPath {
                fault.message += " (in the headers after entry '\(PathBytes.display(previous))')"
            } else {
                fault.message += " (in the first headers)"
            }
            throw fault
        }
    }

    /// Reads headers up to and including the next entry's own.
    private func nextHeaders() throws -> TarEntry? {
        var meta = PendingMeta()
        while true {
            let got = try input.take(TarHeader.blockSize, into: block)
            if got == 0 && !meta.isEmpty {
                throw LayerFault("truncated: the stream ends after an extended header, before its entry",
                                 entry: meta.headerName)
            }
            if got == 0 {
                ended = true
                return nil
            }
            if got < TarHeader.blockSize {
                throw LayerFault("truncated: the stream ends inside a tar header (\(got) of 512 bytes)")
            }
            if TarHeader.isZero(UnsafeRawBufferPointer(block)) {
                try endOfArchive()
                return nil
            }
            let header = try TarHeader(UnsafeRawBufferPointer(block))
            if try readMeta(header, into: &meta) { continue }
            let entry = try TarEntryBuilder(header: header, local: meta, globals: globals).build()
            currentPath = entry.path
            dataLeft = entry.size
            paddingLeft = (Int64(TarHeader.blockSize) - dataLeft % Int64(TarHeader.blockSize)) % Int64(TarHeader.blockSize)
            return TarEntry(entry: entry, dataOffset: input.position)
        }
    }

    /// Hands the current entry's content (the part not yet taken) to `sink` in chunks, or
    /// skips it when `sink` is nil; then the padding to the next 512-byte block.
    func readContent(_ sink: ((UnsafeRawBufferPointer) throws -> Void)?) throws {
        do {
            if dataLeft > 0 {
                let want = dataLeft
                let got = try input.pass(want, to: sink)
                dataLeft -= got
                if got < want {
                    throw LayerFault("truncated: the stream ends inside the entry's content (\(want - got) bytes missing)")
                }
            }
            if paddingLeft > 0 {
                let want = paddingLeft
                let got = try input.pass(want, to: nil)
                paddingLeft -= got
                if got < want { throw LayerFault("truncated: the stream ends inside the padding after the entry's content") }
            }
        } catch var fault as LayerFault {
            fault.entry = fault.entry ?? currentPath
            throw fault
        }
    }

    /// Reads what follows the end of the archive (ignored, but a digest covers it).
    func drain() throws {
        try input.drain()
    }

    /// After a zero block: the end, when another zero block or the end of the stream follows.
    private func endOfArchive() throws {
        ended = true
        let got = try input.take(TarHeader.blockSize, into: block)
        if got == 0 || (got == TarHeader.blockSize && TarHeader.isZero(UnsafeRawBufferPointer(block))) { return }
        if got < TarHeader.blockSize {
            throw LayerFault("truncated: the stream ends inside the second end-of-archive block")
        }
        throw LayerFault("corrupt tar stream: a zero block (end of archive) at byte \(input.position - 1024) "
                         + "is followed by more headers")
    }

    /// Takes a PAX ('x', 'g') or GNU long-name ('L', 'K') header into `meta`; false for
    /// any other type (an entry's own header).
    private func readMeta(_ header: TarHeader, into meta: inout PendingMeta) throws -> Bool {
        let what: String
        switch header.typeflag {
        case UInt8(ascii: "x"), UInt8(ascii: "g"): what = "PAX header"
        case UInt8(ascii: "L"): what = "GNU long name"
        case UInt8(ascii: "K"): what = "GNU long link name"
        default: return false
        }
        let name = PathBytes.string(header.name)
        meta.headerName = name
        let data = try metaData(header, what: what, name: name)
        do {
            switch header.typeflag {
            case UInt8(ascii: "x"): meta.local = try PaxRecords(parsing: data)
            case UInt8(ascii: "g"): try addGlobal(PaxRecords(parsing: data))
            case UInt8(ascii: "L"): meta.longName = Array(data.prefix { $0 != 0 })
            default: meta.longLink = Array(data.prefix { $0 != 0 })
            }
        } catch var fault as LayerFault {
            fault.entry = fault.entry ?? name
            throw fault
        }
        return true
    }

    private func addGlobal(_ records: PaxRecords) throws {
        globals.merge(records)
        if globals.byteCount > limits.maxHeaderBytes {
            throw LayerFault("global PAX headers hold more than \(limits.maxHeaderBytes) bytes together "
                             + "(limit maxHeaderBytes = \(limits.maxHeaderBytes))")
        }
    }

    /// The content of a PAX or long-name header, at most `maxHeaderBytes`.
    private func metaData(_ header: TarHeader, what: String, name: String) throws -> [UInt8] {
        guard header.size >= 0 else { throw LayerFault("corrupt tar header: negative size", entry: name) }
        guard header.size <= Int64(limits.maxHeaderBytes) else {
            throw LayerFault("a \(what) of \(header.size) bytes is larger than the limit of \(limits.maxHeaderBytes) "
                             + "(maxHeaderBytes)", entry: name)
        }
        var data: [UInt8] = []
        data.reserveCapacity(Int(header.size))
        let got = try input.pass(header.size) { data.append(contentsOf: $0) }
        let padding = (Int64(TarHeader.blockSize) - header.size % Int64(TarHeader.blockSize)) % Int64(TarHeader.blockSize)
        guard got == header.size, try input.pass(padding, to: nil) == padding else {
            throw LayerFault("truncated: the stream ends inside a \(what)", entry: name)
        }
        return data
    }
}

/// What extended headers said about the entry that follows them.
struct PendingMeta {
    var local = PaxRecords()
    var longName: [UInt8]?
    var longLink: [UInt8]?
    /// The name of the last extended header, for messages.
    var headerName: String?

    var isEmpty: Bool { headerName == nil }
}
