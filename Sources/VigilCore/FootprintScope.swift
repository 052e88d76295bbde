/// Where the file accesses of a scan go while its footprint is recorded (`FootprintRecorder`):
/// the node of the attribution graph the running code works for (a rule, an OVAL object, a
/// cached computation, ...), bound to the current thread or task.
///
/// Every memo a scan shares between rules (OVAL definitions, tests, objects, variables,
/// batches, `ScanCache` keys) wraps its lookup in `track(_:_:)`: the caller's node then
/// depends on the memo's node whether the value was computed now or earlier, and a
/// computation made now is attributed to the memo's node. A rule's footprint is what its
/// node reaches. With no scope bound (no footprint recorded) every hook is one task-local read.
public struct FootprintScope: Sendable {
    public let recorder: FootprintRecorder
    public let node: String

    public init(recorder: FootprintRecorder, node: String) {
        self.recorder = recorder
        self.node = node
    }

    /// The scope of the running code; nil when no footprint is recorded (or outside any
    /// scope, where accesses count as the scan's global footprint).
    @TaskLocal public static var current: FootprintScope?

    /// The node of accesses made outside any rule (applicability, system facts): a change
    /// there re-evaluates every rule.
    public static let globalNode = "g"
    /// The node of work done ahead for others (read-ahead listings): not recorded, since
    /// the work done for a rule records what it uses.
    public static let ignoredNode = "-"

    /// `body` attributed to `node`, on which the current scope depends (a shared memo's
    /// lookup). Without a current scope, `body` runs as is.
    public static func track<T>(_ node: @autoclosure () -> String, _ body: () throws -> T) rethrows -> T {
        guard let scope = current else { return try body() }
        let next = node()
        scope.recorder.link(scope.node, to: next)
        return try $current.withValue(FootprintScope(recorder: scope.recorder, node: next), operation: body)
    }

    /// `body` attributed to `node` of the current recorder, with no dependency recorded
    /// (a rule's evaluation, applicability). Without a current scope, `body` runs as is.
    public static func within<T>(_ node: @autoclosure () -> String, _ body: () throws -> T) rethrows -> T {
        guard let scope = current else { return try body() }
        return try $current.withValue(FootprintScope(recorder: scope.recorder, node: node()), operation: body)
    }

    /// `body` attributed to `node` of `recorder` (nil: `body` as is): where a scan starts recording.
    public static func within<T>(_ recorder: FootprintRecorder?, node: String, _ body: () throws -> T) rethrows -> T {
        guard let recorder else { return try body() }
        return try $current.withValue(FootprintScope(recorder: recorder, node: node), operation: body)
    }

    /// `body` run on another thread in the scope `scope` captured on the thread that
    /// handed the work over (task-locals do not follow work to other threads by themselves).
    public static func carrying<T>(_ scope: FootprintScope?, _ body: () throws -> T) rethrows -> T {
        guard let scope else { return try body() }
        return try $current.withValue(scope, operation: body)
    }

    /// Records that the running code used the listing of `directory` (a memoized listing
    /// that did not reach the target).
    public static func noteListing(_ directory: String) {
        guard let scope = current else { return }
        scope.recorder.record(directory, listing: true, node: scope.node)
    }
}
