import Foundation
import Logging
@testable import VigilWatch

/// A logger whose `LogfmtHandler` lines are kept for the test to read.
final class LogCapture: @unchecked Sendable {
    private let lock = NSLock()
    private var kept: [String] = []

    var lines: [String] { lock.withLock { kept } }

    func logger(timestamps: Bool = false) -> Logger {
        Logger(label: "test") { _ in LogfmtHandler(timestamps: timestamps) { line in self.lock.withLock { self.kept.append(line) } } }
    }

    /// The lines holding `event=NAME`.
    func events(_ name: String) -> [String] { lines.filter { $0.contains(" event=\(name) ") } }
}
