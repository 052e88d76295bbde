#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import VigilOVAL

/// `environmentvariable58_object` (independent): the environment of processes, read
/// from `/proc/PID/environ` through the target, as OpenSCAP 1.3.7 does.
///
/// - `pid` selects processes among the numeric entries of `/proc` (any operation);
///   `xsi:nil="true"` means the scanning process itself (OpenSCAP uses its own pid).
///   On an offline root this reads `ROOT/proc/...`, which images rarely have: no items.
/// - Each `NAME=value` entry whose name the `name` entity selects is one item
///   (pid, name, value); entries without `=` are skipped; the value is everything after
///   the first `=`.
/// - A process whose environ cannot be read gives an error item holding its pid.
/// - A `pid` that is not an integer, or an unreadable `/proc` on the live host, is an
///   error flag; an offline root without `/proc` has no items (`does not exist`, what
///   oscap reports there).
/// - OpenSCAP's `OSCAP_CONTAINER_VARS` override is not supported.
package struct EnvironmentVariableProbe: Probe {
    package let objectTypes = ["environmentvariable58_object"]

    /// The pid that `xsi:nil` stands for (the scanner's own process by default).
    private let currentPID: Int32

    package init(currentPID: Int32 = getpid()) {
        self.currentPID = currentPID
    }

    /// Collects the matching variables of the selected processes.
    package func collect(_ object: ResolvedObject, context: ProbeContext) -> CollectedObject {
        guard let nameEntity = object.entity("name") else { return .error("environmentvariable58_object has no name entity") }
        guard let pidEntity = object.entity("pid") else { return .error("environmentvariable58_object has no pid entity") }

        let selectsPID: (Int32) -> Bool
        if pidEntity.isNil {
            let current = currentPID
            selectsPID = { $0 == current }
        } else {
            for v in pidEntity.values where Int32(v) == nil {
                return .error("pid '\(v)' is not a 32-bit integer")
            }
            selectsPID = { pidEntity.matches(String($0)) }
        }

        guard let entries = context.target.listDirectory("/proc") else {
            // As OpenSCAP 1.3.7 (OfflinePolicy): an image without /proc has no processes.
            return context.target.can(.runtimeState) ? .error("cannot read /proc") : .found([])
        }
        let pids = entries.compactMap { name -> Int32? in
            guard !name.isEmpty, name.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            return Int32(name)
        }.sorted()

        var messages: [String] = []
        if let problem = EnvironmentVariableProbe.patternProblem(nameEntity) { messages.append(problem) }
        var items: [OVALItem] = []
        for pid in pids where selectsPID(pid) {
            let path = "/proc/\(pid)/environ"
            let bytes: [UInt8]
            do {
                bytes = try context.target.readFile(path)
            } catch {
                items.append(OVALItem(status: .error, fields: [OVALItemField("pid", String(pid), datatype: .int)]))
                messages.append("Can't open \"\(path)\": \(error)")
                continue
            }
            for (name, value) in EnvironmentVariableProbe.parseEnviron(bytes) where nameEntity.matches(name) {
                items.append(OVALItem(fields: [
                    OVALItemField("pid", String(pid), datatype: .int),
                    OVALItemField("name", name),
                    OVALItemField("value", value),
                ]))
            }
        }
        if items.isEmpty { messages.append("Can't find process with requested PID.") }
        return CollectedObject(flag: CollectedObject.found(items).flag, items: items, messages: messages)
    }

    /// The `NAME=value` entries of a NUL-separated environ block, in order; entries
    /// without `=` are skipped.
    package static func parseEnviron(_ bytes: [UInt8]) -> [(name: String, value: String)] {
        var out: [(String, String)] = []
        for entry in bytes.split(separator: 0, omittingEmptySubsequences: true) {
            guard let eq = entry.firstIndex(of: UInt8(ascii: "=")) else { continue }
            let name = String(decoding: entry[entry.startIndex..<eq], as: UTF8.self)
            let value = String(decoding: entry[(eq + 1)...], as: UTF8.self)
            out.append((name, value))
        }
        return out
    }

    /// A message when `entity` is a pattern match whose pattern does not compile
    /// (OpenSCAP then selects nothing, without an error).
    private static func patternProblem(_ entity: ResolvedEntity) -> String? {
        guard entity.operation == .patternMatch, !entity.isNil else { return nil }
        for v in entity.values {
            do { _ = try OVALRegex(v) } catch { return "\(error)" }
        }
        return nil
    }
}
