/// Decides, event by event, which parts of a YAML event stream a `YAMLPath` selects,
/// with the same state machine as OpenSCAP's `yaml-path` library
/// (`yaml_path_filter_event`), so that odd corners (aliases, keys that are not
/// scalars, several documents) select what OpenSCAP selects.
struct YAMLPathFilter {
    /// What the filter says of one event.
    enum Verdict: Equatable {
        /// Not selected.
        case out
        /// Selected.
        case `in`
        /// A key of a selected map whose value is selected too.
        case danglingKey
    }

    private enum NodeKind { case none, mapping, sequence }

    private struct Section {
        var segment: YAMLPath.Segment
        var nodeKind: NodeKind = .none
        var counter = 0
        var valid = false
        var nextValid = false

        /// A key selection on a map or an index set on a sequence: the container itself
        /// is part of the result.
        var isMandatoryContainer: Bool {
            switch (segment, nodeKind) {
            case (.selection, .mapping), (.set, .sequence): return true
            default: return false
            }
        }
    }

    private var sections: [Section]
    /// Depth of the current node (documents count as one level for `$` paths).
    private var currentLevel = 0
    /// The level where matching started (0: not yet).
    private var startLevel = 0

    init(path: YAMLPath) {
        sections = path.segments.map { Section(segment: $0) }
    }

    /// The 1-based level of the current section, or nil when there is none (levels
    /// outside the path; C's unsigned arithmetic makes negative ones huge).
    private var currentSectionLevel: Int? {
        guard startLevel != 0 else { return nil }
        let level = currentLevel - startLevel + 1
        return (1...sections.count).contains(level) ? level : nil
    }

    private var currentIsLast: Bool { currentSectionLevel == sections.count }

    private var pathIsValid: Bool { sections.allSatisfy(\.valid) }

    /// Whether every section before the current one is valid.
    private var previousAreValid: Bool {
        let raw = currentLevel - startLevel + 1
        let level = raw < 0 ? Int.max : raw
        return sections.enumerated().allSatisfy { $0.offset + 1 >= level || $0.element.valid }
    }

    /// Feeds one event; returns whether it belongs to the selected part.
    mutating func filter(_ event: YAMLPathEvent) -> Verdict {
        guard !sections.isEmpty else { return .out }
        let anchor = event.anchor
        if startLevel == 0 { findStart(event, anchor: anchor) }
        let current = currentSectionLevel
        if let level = current, event.isNodeOrDocumentStart {
            advance(section: level - 1, event: event, anchor: anchor)
        }
        var verdict = Verdict.out
        switch event {
        case .streamStart, .streamEnd:
            verdict = .in
        case .documentStart:
            if startLevel == 1 { currentLevel += 1 }
            verdict = .in
        case .documentEnd:
            if startLevel == 1 { currentLevel -= 1 }
            verdict = .in
        case .mappingStart, .sequenceStart:
            if current != nil {
                if currentIsLast && pathIsValid { verdict = .in }
            } else if currentLevel > startLevel && pathIsValid {
                verdict = .in
            }
            currentLevel += 1
            if let level = currentSectionLevel {
                sections[level - 1].nodeKind = event.isMappingStart ? .mapping : .sequence
                sections[level - 1].counter = 0
                if sections[level - 1].isMandatoryContainer && previousAreValid { verdict = .in }
            }
        case .mappingEnd, .sequenceEnd:
            if let level = current, sections[level - 1].isMandatoryContainer && previousAreValid {
                verdict = .in
            }
            currentLevel -= 1
            if currentSectionLevel != nil {
                if currentIsLast && pathIsValid { verdict = .in }
            } else if currentLevel > startLevel && pathIsValid {
                verdict = .in
            }
        case .alias, .scalar:
            if let level = current {
                if currentIsLast && pathIsValid { verdict = .in }
                let s = sections[level - 1]
                if s.valid && s.nodeKind == .mapping && s.counter % 2 == 1
                    && s.isMandatoryContainer && previousAreValid {
                    verdict = .danglingKey
                }
            } else if currentLevel >= startLevel && pathIsValid {
                verdict = .in
            }
        }
        return verdict
    }

    /// Sets where the path starts when `event` is its first segment's node: a document
    /// start for `$` (the root), the node with the anchor for `&name`.
    private mutating func findStart(_ event: YAMLPathEvent, anchor: String?) {
        switch sections[0].segment {
        case .root:
            if case .documentStart = event {
                startLevel = 1
                sections[0].valid = true
            }
        case .anchor(let name):
            if anchor == name { startLevel = currentLevel }
        default:
            break
        }
    }

    /// Updates a section's validity for the node (or document) that starts now. The
    /// section is changed in place: copying it out would retain its segment's keys on
    /// every event of every path.
    private mutating func advance(section i: Int, event: YAMLPathEvent, anchor: String?) {
        switch sections[i].nodeKind {
        case .none:
            if case .anchor(let name) = sections[i].segment { sections[i].valid = anchor != nil && anchor == name }
        case .mapping:
            let isValue = sections[i].counter % 2 == 1
            switch sections[i].segment {
            case .key(let key):
                if isValue {
                    sections[i].valid = sections[i].nextValid
                    sections[i].nextValid = false
                } else {
                    sections[i].nextValid = event.scalarValue == key
                    sections[i].valid = false
                }
            case .selection(let keys):
                if isValue {
                    sections[i].valid = sections[i].nextValid
                    sections[i].nextValid = false
                } else {
                    let next = keys.isEmpty || event.scalarValue.map(keys.contains) == true
                    sections[i].nextValid = next
                    sections[i].valid = next
                }
            default:
                sections[i].valid = false
            }
        case .sequence:
            switch sections[i].segment {
            case .index(let index): sections[i].valid = index == sections[i].counter
            case .set(let set): sections[i].valid = set.isEmpty || set.contains(sections[i].counter)
            default: sections[i].valid = false
            }
        }
        sections[i].counter += 1
    }
}
