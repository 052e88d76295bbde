import Foundation

/// What all layers of one image may expand to together: uncompressed bytes
/// (`ImageLimits.maxUncompressedBytes`) and entries (`ImageLimits.maxEntries`). Shared by
/// the layers of an image, which may be read at the same time on several threads.
public final class ExpansionBudget: @unchecked Sendable {
    public let limits: ImageLimits
    private let lock = NSLock()
    private var bytes: Int64 = 0
    private var entries = 0

    public init(limits: ImageLimits) {
        self.limits = limits
    }

    /// Uncompressed bytes charged so far, over all layers.
    public var uncompressedBytes: Int64 { lock.withLock { bytes } }
    /// Entries charged so far, over all layers.
    public var entryCount: Int { lock.withLock { entries } }

    /// Adds `count` uncompressed bytes; passing the limit is an error.
    func charge(bytes count: Int64) throws {
        let total = lock.withLock {
            bytes += count
            return bytes
        }
        if total > limits.maxUncompressedBytes {
            throw LayerFault("the image's layers hold more than \(limits.maxUncompressedBytes) bytes uncompressed "
                             + "together (limit maxUncompressedBytes = \(limits.maxUncompressedBytes))")
        }
    }

    /// Adds one entry; passing the limit is an error.
    func chargeEntry() throws {
        let total = lock.withLock {
            entries += 1
            return entries
        }
        if total > limits.maxEntries {
            throw LayerFault("the image's layers hold more than \(limits.maxEntries) entries together "
                             + "(limit maxEntries = \(limits.maxEntries))")
        }
    }
}

/// Counts a layer's uncompressed bytes as they pass, charging them to the image's
/// `ExpansionBudget` and holding the layer to `maxExpansionRatio` once past `ratioFloor`.
final class MeteredStream: ByteStream {
    private let inner: ByteStream
    private let budget: ExpansionBudget
    /// The layer's stored (compressed) size, for the ratio.
    private let storedBytes: Int64
    /// The most uncompressed bytes the ratio allows this layer (stored bytes x ratio).
    private let allowed: Int64
    /// Uncompressed bytes passed so far.
    private(set) var count: Int64 = 0

    init(_ inner: ByteStream, budget: ExpansionBudget, storedBytes: Int64) {
        self.inner = inner
        self.budget = budget
        self.storedBytes = storedBytes
        let (product, overflow) = max(storedBytes, 0).multipliedReportingOverflow(by: budget.limits.maxExpansionRatio)
        allowed = overflow ? .max : product
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = try inner.read(into: buffer)
        guard n > 0 else { return 0 }
        count += Int64(n)
        try budget.charge(bytes: Int64(n))
        let limits = budget.limits
        if count > limits.ratioFloor && count > allowed {
            throw LayerFault("the layer expands more than \(limits.maxExpansionRatio) times: its \(storedBytes) "
                             + "stored bytes give over \(count) bytes (limit maxExpansionRatio = "
                             + "\(limits.maxExpansionRatio) past ratioFloor = \(limits.ratioFloor) bytes)")
        }
        return n
    }
}
