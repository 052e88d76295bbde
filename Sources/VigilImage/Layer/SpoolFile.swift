import Foundation

/// Where a compressed layer's file contents go once decompressed: a private temporary file
/// (`mkstemp` in `$TMPDIR` or /tmp, mode 0600) unlinked as soon as it is made, so it has no
/// name anyone can open and vanishes with its last descriptor, even if the scanner is killed.
/// Written by one writer (one spool per layer), at the end only; read by anyone with
/// `pread` through `file`, once `flush()` has run.
final class SpoolFile {
    /// The open, unlinked file.
    let file: ImageFile
    /// The directory it was made in, for messages.
    let directory: String
    /// Bytes appended so far (the offset the next append lands at).
    private(set) var size: Int64 = 0
    /// Bytes handed to the kernel so far; `size - written` wait in `pending`.
    private var written: Int64 = 0
    private let pending: UnsafeMutableRawBufferPointer
    private var pendingCount = 0

    /// Where spools go by default: `$TMPDIR`, else /tmp.
    static func defaultDirectory() -> String {
        ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
    }

    /// Makes the file in `directory`, or else in `defaultDirectory()`.
    convenience init(directory: String? = nil) throws {
        let dir = directory ?? Self.defaultDirectory()
        var template = Array((dir.hasSuffix("/") ? dir : dir + "/").utf8CString.dropLast()) + Array("vigil-layer-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw LayerFault("cannot make a temporary file in '\(dir)' (set TMPDIR to another directory): "
                             + systemErrorText(errno))
        }
        _ = template.withUnsafeBufferPointer { unlink($0.baseAddress!) }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        self.init(descriptor: fd, directory: dir)
    }

    /// Wraps an open read-write descriptor (taking ownership); `init(directory:)` makes one.
    init(descriptor fd: Int32, directory: String) {
        self.directory = directory
        file = ImageFile(fd: fd, path: "")
        pending = .allocate(byteCount: layerChunkSize, alignment: 16)
    }

    deinit { pending.deallocate() }

    /// Appends `bytes` and returns the offset they start at.
    @discardableResult
    func append(_ bytes: UnsafeRawBufferPointer) throws -> Int64 {
        let offset = size
        if pendingCount + bytes.count > pending.count { try flush() }
        if bytes.count >= pending.count {
            try writeAll(bytes)
        } else if bytes.count > 0 {
            UnsafeMutableRawBufferPointer(rebasing: pending[pendingCount...]).copyMemory(from: bytes)
            pendingCount += bytes.count
        }
        size += Int64(bytes.count)
        return offset
    }

    /// Writes what waits in memory, so every appended byte can be read through `file`.
    func flush() throws {
        guard pendingCount > 0 else { return }
        let count = pendingCount
        pendingCount = 0
        try writeAll(UnsafeRawBufferPointer(rebasing: pending[0..<count]))
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        var done = 0
        while done < bytes.count {
            let n = pwrite(file.fd, bytes.baseAddress! + done, bytes.count - done, off_t(written))
            if n <= 0 {
                if n < 0 && errno == EINTR { continue }
                throw writeFault(n == 0 ? ENOSPC : errno)
            }
            done += n
            written += Int64(n)
        }
    }

    private func writeFault(_ code: Int32) -> LayerFault {
        if code == ENOSPC || code == EDQUOT {
            return LayerFault("the temporary directory '\(directory)' is full (\(systemErrorText(code))) after "
                              + "\(written) bytes of decompressed layer content: free space there or set TMPDIR "
                              + "to a larger directory")
        }
        return LayerFault("cannot write the layer's spool file in '\(directory)': \(systemErrorText(code))")
    }
}
