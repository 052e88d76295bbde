import VigilOVAL

/// `textfilecontent54_object` (independent): matches of a regular expression in the
/// content of files selected by `filepath`, or `path` and `filename`, as OpenSCAP
/// 1.3.7's textfilecontent54 probe finds them.
///
/// - The pattern is compiled in UTF-8 mode with the `multiline` (default true),
///   `singleline` (`.` matches a newline, default false) and `ignore_case` behaviors.
/// - The whole file is one subject, up to its first NUL byte. A file that is not valid
///   UTF-8 there flags the object `error` ("Regular expression pattern match failed").
/// - Matches are numbered 1, 2, ... in file order (with OpenSCAP's quirk that an empty
///   match not at the search start is counted twice); an item is made for each match
///   whose number the `instance` entity selects (so `greater than or equal` 1 gives all).
/// - Each item has `text` (the whole match) and one `subexpression` per capture group
///   that took part, in order.
/// - An invalid pattern flags the object `error`; a file that cannot be opened or read
///   flags it `error` too; files that are not regular (after links) are skipped.
public struct TextFileContent54Probe: Probe {
    public init() {}

    public var objectTypes: [String] { ["textfilecontent54_object"] }

    public func collect(_ object: ResolvedObject, context: ProbeContext) -> CollectedObject {
        guard object.entity("pattern") != nil, object.entity("instance") != nil else {
            return .error("textfilecontent54_object needs a pattern and an instance")
        }
        let attributes = object.behaviors
        var options: OVALRegex.Options = []
        if TextFileContentItems.flag(attributes, "ignore_case", absent: false) { options.insert(.caseInsensitive) }
        if TextFileContentItems.flag(attributes, "multiline", absent: true) { options.insert(.multiline) }
        if TextFileContentItems.flag(attributes, "singleline", absent: false) { options.insert(.dotAll) }

        var collection = FileProbeCollection(budget: context.itemBudget)
        let source = FileWalk.source(for: context)
        let target = context.target
        for variant in FileWalkVariants.expand(object) {
            guard let pattern = variant.value("pattern"), let instance = variant.entity("instance") else { continue }
            guard let request = collection.request({ try FileWalkRequest(variant: variant) }) else { continue }
            let regex: OVALRegex
            do {
                regex = try OVALRegex.cached(pattern, options, limits: .openSCAPFileContent)
            } catch {
                collection.fail("pcre_compile() '\(pattern)' \(error)")
                continue
            }
            let report = FileWalk.walk(request, source: source, isLive: target.pathSpelling == .asGiven) { entry in
                guard TextFileContentItems.isCandidate(entry),
                      TextFileContentItems.isRegularFile(entry, target: target) else { return }
                let bytes: [UInt8]
                do {
                    bytes = try context.readFile(entry.filepath)
                } catch {
                    collection.fail("open(): '\(entry.filepath)' \(error)")
                    return
                }
                TextFileContent54Probe.scan(bytes, entry: entry, regex: regex, pattern: pattern,
                                            instance: instance, into: &collection)
            }
            collection.absorb(report)
        }
        return collection.result
    }

    /// Finds the matches in one file's content as OpenSCAP's loop does and adds the items
    /// of the selected instances.
    static func scan(_ bytes: [UInt8], entry: FileWalkEntry, regex: OVALRegex, pattern: String,
                     instance: FileWalkEntity, into collection: inout FileProbeCollection) {
        let end = bytes.firstIndex(of: 0) ?? bytes.count
        guard let text = String(validating: bytes[..<end], as: UTF8.self) else {
            collection.fail("Regular expression pattern match failed in file \(entry.filepath) with error -10.")
            return
        }
        let subjectLength = end
        let filepath = entry.filepath
        // OpenSCAP's buffer holds the whole file and a terminating NUL.
        let bufferLength = bytes.count + 1
        var offset = 0
        var count = 0
        while true {
            guard offset <= subjectLength else {
                collection.fail("Regular expression pattern match failed in file \(entry.filepath) with error -24.")
                return
            }
            let found: OVALRegexMatch?
            do {
                found = try regex.match(text, from: offset)
            } catch {
                let code = TextFileContentItems.pcreErrorCode(error)
                collection.fail("Regular expression pattern match failed in file \(entry.filepath) with error \(code).")
                return
            }
            guard let match = found, !collection.isFull else { return }
            count += 1
            if selects(instance, count) {
                collection.add(TextFileContentItems.item(entry: entry, filepath: filepath, pattern: pattern,
                                                                  instance: count, match: match))
            }
            let matchEnd = match.range.upperBound
            offset = offset == matchEnd ? matchEnd + 1 : matchEnd
            if offset >= bufferLength { return }
        }
    }

    /// Whether the `instance` entity selects match number `n`.
    static func selects(_ instance: FileWalkEntity, _ n: Int) -> Bool {
        instance.evaluate(String(n)) == .true
    }
}
