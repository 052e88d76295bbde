import VigilOVAL

/// `textfilecontent_object` (independent, deprecated): line-by-line matches of the
/// `line` pattern in files selected by `filepath` (behaviors ignored), or `path` and
/// `filename`, as OpenSCAP 1.3.7's textfilecontent probe finds them.
///
/// OpenSCAP reads each file with `fgets` into a 4096-byte buffer, so a "line" is at most
/// 4095 bytes (longer lines are split), and it matches each line once. It keeps the end
/// of the last match as the start offset for the *next* lines too, so after a match a
/// line is searched only from that column on (and not at all when it is shorter); Vigil
/// does the same. An invalid pattern, an unreadable file or a line that is not valid
/// UTF-8 yields no items and no error, as in OpenSCAP.
public struct TextFileContentProbe: Probe {
    public init() {}

    public var objectTypes: [String] { ["textfilecontent_object"] }

    /// The size of OpenSCAP's line buffer (a line is at most one byte less).
    static let lineBuffer = 4096

    public func collect(_ object: ResolvedObject, context: ProbeContext) -> CollectedObject {
        guard object.entity("line") != nil else { return .error("textfilecontent_object needs a line") }
        var collection = FileProbeCollection(budget: context.itemBudget)
        let source = FileWalk.source(for: context)
        let target = context.target
        for variant in FileWalkVariants.expand(object) {
            guard let pattern = variant.value("line") else { continue }
            guard let request = collection.request({ try FileWalkRequest(variant: variant, behaviorsApplyToFilepath: false) }) else { continue }
            guard let regex = try? OVALRegex.cached(pattern, [], limits: .openSCAPFileContent) else { continue }
            let report = FileWalk.walk(request, source: source, isLive: target.pathSpelling == .asGiven) { entry in
                guard TextFileContentItems.isCandidate(entry),
                      TextFileContentItems.isRegularFile(entry, target: target),
                      let bytes = try? target.readFile(entry.filepath) else { return }
                TextFileContentProbe.scan(bytes, entry: entry, regex: regex, pattern: pattern, into: &collection)
            }
            collection.absorb(report)
        }
        return collection.result
    }

    /// Adds the items of one file's content, line by line as OpenSCAP finds them (until
    /// the collection's budget is spent).
    static func scan(_ bytes: [UInt8], entry: FileWalkEntry, regex: OVALRegex, pattern: String,
                     into collection: inout FileProbeCollection) {
        let filepath = entry.filepath
        var offset = 0
        var count = 0
        for line in lines(bytes) {
            if collection.isFull { return }
            let end = line.firstIndex(of: 0) ?? line.endIndex
            guard let text = String(validating: line[line.startIndex..<end], as: UTF8.self),
                  offset <= text.utf8.count,
                  let found = try? regex.match(text, from: offset) else { continue }
            count += 1
            collection.add(TextFileContentItems.item(entry: entry, filepath: filepath, pattern: pattern, instance: count, match: found))
            let matchEnd = found.range.upperBound
            offset = offset == matchEnd ? matchEnd + 1 : matchEnd
        }
    }

    /// The pieces `fgets` returns: up to and including a newline, at most 4095 bytes.
    static func lines(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var out: [ArraySlice<UInt8>] = []
        var start = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count && end - start < lineBuffer - 1 {
                end += 1
                if bytes[end - 1] == UInt8(ascii: "\n") { break }
            }
            out.append(bytes[start..<end])
            start = end
        }
        return out
    }
}
