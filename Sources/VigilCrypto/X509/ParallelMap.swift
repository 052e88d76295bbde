import Foundation
import VigilCore

/// `map` over `0..<count` on every core when there is enough work (files of a directory,
/// certificates of a bundle); results in index order.
enum ParallelMap {
    /// `body(i)` for each i; on one thread when `count <= threshold`.
    static func map<T: Sendable>(_ count: Int, threshold: Int = 1, _ body: @Sendable (Int) -> T) -> [T] {
        guard count > threshold else { return (0..<count).map(body) }
        let slots = Slots<T>(count)
        let stride = min(count, ProcessInfo.processInfo.activeProcessorCount * 4)
        let scope = FootprintScope.current
        DispatchQueue.concurrentPerform(iterations: stride) { start in
            FootprintScope.carrying(scope) {
                var i = start
                while i < count { slots.set(i, body(i)); i += stride }
            }
        }
        return slots.values()
    }

    /// Storage written at distinct indices by concurrent workers, read after they finish.
    private final class Slots<T>: @unchecked Sendable {
        private var buffer: UnsafeMutableBufferPointer<T?>
        init(_ count: Int) {
            buffer = .allocate(capacity: count)
            buffer.initialize(repeating: nil)
        }
        deinit {
            buffer.deinitialize()
            buffer.deallocate()
        }
        func set(_ i: Int, _ value: T) { buffer[i] = value }
        func values() -> [T] { buffer.map { $0! } }
    }
}
