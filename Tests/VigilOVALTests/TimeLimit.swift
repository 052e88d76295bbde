import Foundation
import XCTest

/// Holds the result of work done on another thread.
final class ResultBox<T>: @unchecked Sendable {
    var value: T?
}

/// Runs `body` on a worker thread (as the scanner evaluates rules) and fails the test,
/// instead of hanging the suite, when it does not finish within `seconds`.
func finishes<T>(within seconds: Double = 20, _ body: @escaping @Sendable () -> T,
                 file: StaticString = #filePath, line: UInt = #line) -> T? {
    let box = ResultBox<T>()
    let done = DispatchSemaphore(value: 0)
    DispatchQueue.global().async { box.value = body(); done.signal() }
    guard done.wait(timeout: .now() + seconds) == .success else {
        XCTFail("did not finish within \(seconds) s (deadlock or runaway work?)", file: file, line: line)
        return nil
    }
    return box.value
}
