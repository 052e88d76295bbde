import CZlib
import Foundation

/// zlib-format (RFC 1950) compression, which browsers inflate with
/// `new DecompressionStream("deflate")`.
enum Deflate {
    static func compress(_ input: Data, level: Int32 = 6) throws -> Data {
        var size = compressBound(uLong(input.count))
        var output = Data(count: Int(size))
        let status = output.withUnsafeMutableBytes { out in
            input.withUnsafeBytes { inp in
                compress2(out.bindMemory(to: Bytef.self).baseAddress, &size,
                          inp.bindMemory(to: Bytef.self).baseAddress, uLong(input.count), level)
            }
        }
        guard status == Z_OK else { throw ReportError("zlib could not compress the report details (status \(status))") }
        output.count = Int(size)
        return output
    }

    /// The inverse, for tests and tools that read a report back.
    static func decompress(_ input: Data) throws -> Data {
        var capacity = max(input.count * 8, 1024)
        while true {
            var size = uLongf(capacity)
            var output = Data(count: capacity)
            let status = output.withUnsafeMutableBytes { out in
                input.withUnsafeBytes { inp in
                    uncompress(out.bindMemory(to: Bytef.self).baseAddress, &size,
                               inp.bindMemory(to: Bytef.self).baseAddress, uLong(input.count))
                }
            }
            if status == Z_BUF_ERROR && capacity < 1 << 30 { capacity *= 4; continue }
            guard status == Z_OK else { throw ReportError("the report details do not inflate (zlib status \(status))") }
            output.count = Int(size)
            return output
        }
    }
}
