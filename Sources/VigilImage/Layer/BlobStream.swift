import Foundation

/// The bytes of a `BlobLocation`, read with `pread` (no shared file offset, so one
/// descriptor serves every layer at once). A file shorter than the location is "truncated".
final class BlobStream: SkippableStream {
    let location: BlobLocation
    /// How many bytes of the location have been read.
    private(set) var position: Int64 = 0

    init(_ location: BlobLocation) {
        self.location = location
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let want = Int(min(Int64(buffer.count), location.length - position))
        guard want > 0, let base = buffer.baseAddress else { return 0 }
        while true {
            let n = pread(location.file.fd, base, want, off_t(location.offset + position))
            if n > 0 {
                position += Int64(n)
                return n
            }
            if n == 0 {
                throw LayerFault("truncated: the file \(fileName) ends \(location.length - position) bytes before the "
                                 + "layer's end (\(location.length) bytes at offset \(location.offset))")
            }
            if errno == EINTR { continue }
            throw LayerFault("cannot read \(fileName): \(systemErrorText(errno))")
        }
    }

    func skip(_ count: Int64) throws -> Int64 {
        let step = min(count, location.length - position)
        guard step > 0 else { return 0 }
        // What is skipped is not read: the file must still be long enough to hold it.
        var st = stat()
        guard fstat(location.file.fd, &st) == 0 else {
            throw LayerFault("cannot read \(fileName): \(systemErrorText(errno))")
        }
        let end = location.offset + position + step
        if Int64(st.st_size) < end {
            throw LayerFault("truncated: the file \(fileName) ends \(location.offset + location.length - Int64(st.st_size)) "
                             + "bytes before the layer's end (\(location.length) bytes at offset \(location.offset))")
        }
        position += step
        return step
    }

    private var fileName: String {
        location.file.path.isEmpty ? "(spool)" : "'\(location.file.path)'"
    }
}
