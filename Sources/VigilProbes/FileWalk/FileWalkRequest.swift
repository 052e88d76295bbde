import VigilOVAL

/// The kind of a walked entry, as `fts` reports it (`fts_info`).
package enum FileWalkKind: Sendable, Equatable {
    /// A directory (`FTS_D`).
    case directory
    /// A regular file (`FTS_F`).
    case regular
    /// A symbolic link reported without being followed (`FTS_SL`).
    case symlink
    /// A symbolic link whose target cannot be reached (`FTS_SLNONE`).
    case danglingSymlink
    /// A fifo, socket or device (`FTS_DEFAULT`).
    case other
    /// An entry `lstat` failed on (`FTS_NS`).
    case noStat
    /// A directory that cannot be listed (`FTS_DNR`).
    case unreadableDirectory
}

/// One file or directory a walk selected, with the item fields OpenSCAP derives from it.
package struct FileWalkEntry: Sendable, Equatable {
    /// The item's `path`: the directory holding the file, or the directory itself.
    package var path: String
    /// The item's `filename`; nil for a directory item (an object with `xsi:nil` filename).
    package var filename: String?
    package var kind: FileWalkKind
    /// The `lstat` of `filepath` when the walk already read it (saves a system call per item).
    package var lstat: FileInfo?

    package init(path: String, filename: String?, kind: FileWalkKind, lstat: FileInfo? = nil) {
        self.path = path
        self.filename = filename
        self.kind = kind
        self.lstat = lstat
    }

    /// Entries are the same selection whatever `stat` data came with them.
    package static func == (a: FileWalkEntry, b: FileWalkEntry) -> Bool {
        a.path == b.path && a.filename == b.filename && a.kind == b.kind
    }

    /// `path` and `filename` joined without doubling a slash; `path` for a directory item.
    package var filepath: String {
        guard let filename else { return path }
        return path.hasSuffix("/") ? path + filename : path + "/" + filename
    }
}

/// An object entity as one run of a file probe sees it: all the values of its variable
/// (for comparisons) and the one value this run uses (for the starting path, the pattern
/// to search, ...). OpenSCAP runs a probe once per combination of variable values, yet
/// compares candidates with every value of the variable, combined by `var_check`.
package struct FileWalkEntity: Sendable {
    package let entity: ResolvedEntity
    /// The value of this run.
    package let value: String
    /// The compiled regex of a single-valued `pattern match` string entity, so that a walk
    /// comparing every file name does not look the pattern up each time.
    private let regex: OVALRegex?
    /// The pattern is `.*`, `^.*` or `^.*$` (SSG's "any file name"): an ASCII name without
    /// a line feed matches it without running the regex.
    private let matchesAnyLine: Bool

    /// `entity` with the value of this run (its first value by default).
    package init(_ entity: ResolvedEntity, value: String? = nil) {
        self.entity = entity
        self.value = value ?? entity.values.first ?? ""
        if !entity.isNil, entity.entity.varRef == nil, entity.operation == .patternMatch,
           entity.datatype == .string, entity.values.count == 1 {
            regex = try? OVALRegex.cached(entity.values[0])
        } else {
            regex = nil
        }
        matchesAnyLine = regex != nil && [".*", "^.*", "^.*$"].contains(entity.values[0])
    }

    package var operation: OVALOperation { entity.operation }
    package var isNil: Bool { entity.isNil }

    /// This run's value as a one-element list, the shape a single-valued entity has
    /// (`values.first` is the run's value). Comparisons use every value: see `evaluate`.
    package var values: [String] { [value] }

    /// OpenSCAP's `probe_entobj_cmp`: the candidate compared with each value (all of a
    /// variable's values, combined by `var_check`); `.false` when there is no value.
    package func evaluate(_ candidate: String) -> OVALResult {
        if entity.isNil { return .true }
        if matchesAnyLine, FileWalkEntity.isPlainLine(candidate) { return .true }
        if let regex { return regex.evaluate(candidate) }
        let values = entity.values
        guard !values.isEmpty else { return .false }
        let datatype = entity.datatype
        let results = values.map { OVALCompare.compare(candidate, entity.operation, $0, datatype: datatype) }
        let combined: OVALResult
        if entity.entity.varRef != nil {
            combined = FileWalkEntity.combine(results, by: entity.entity.varCheck)
        } else {
            combined = values.count == 1 ? results[0] : .error
        }
        return combined == .notEvaluated ? .false : combined
    }

    /// Whether `name` is ASCII without a line feed (read as one buffer: iterating a
    /// `String.UTF8View` generically cost more than the rest of the comparison).
    static func isPlainLine(_ name: String) -> Bool {
        var name = name
        return name.withUTF8 { bytes in
            for b in bytes where b == 0x0A || b >= 0x80 { return false }
            return true
        }
    }

    /// Results combined by a check, with OVAL's truth tables.
    static func combine(_ results: [OVALResult], by check: CheckEnumeration) -> OVALResult {
        let t = results.filter { $0 == .true }.count
        let f = results.filter { $0 == .false }.count
        let e = results.filter { $0 == .error }.count
        let u = results.filter { $0 == .unknown }.count
        let ne = results.filter { $0 == .notEvaluated }.count
        let na = results.count - t - f - e - u - ne
        if results.isEmpty { return .unknown }
        if na == results.count { return .notApplicable }
        switch check {
        case .all:
            if t > 0 && f == 0 && e == 0 && u == 0 && ne == 0 { return .true }
            if f > 0 { return .false }
        case .atLeastOne:
            if t > 0 { return .true }
            if f > 0 && e == 0 && u == 0 && ne == 0 { return .false }
        case .noneSatisfy, .noneExist:
            if t > 0 { return .false }
            if f > 0 && e == 0 && u == 0 && ne == 0 { return .true }
        case .onlyOne:
            if t == 1 && e == 0 && u == 0 && ne == 0 { return .true }
            if t > 1 { return .false }
            if t == 0 && f > 0 && e == 0 && u == 0 && ne == 0 { return .false }
        }
        if e > 0 { return .error }
        if u > 0 { return .unknown }
        if ne > 0 { return .notEvaluated }
        return .error
    }
}

/// What a file-system object asks to walk: a `filepath`, or a `path` with a `filename`
/// (nil filename: the directories themselves), and its behaviors.
package struct FileWalkRequest: Sendable {
    /// Which entities select the files.
    package enum Selection: Sendable {
        case filepath(FileWalkEntity)
        case path(FileWalkEntity, filename: FileWalkEntity?)
    }

    package var selection: Selection
    package var behaviors: FileWalkBehaviors

    package init(selection: Selection, behaviors: FileWalkBehaviors = FileWalkBehaviors()) {
        self.selection = selection
        self.behaviors = behaviors
    }

    /// The request of one run of an object. Throws `FileWalkRequest.MissingEntity` when
    /// it has neither `filepath` nor `path` and `filename`, and `FileWalkError` for
    /// behaviors OpenSCAP rejects. With `behaviorsApplyToFilepath` false
    /// (textfilecontent_object), behaviors are ignored when `filepath` is used.
    package init(variant: FileObjectVariant, behaviorsApplyToFilepath: Bool = true) throws {
        let attributes = variant.object.behaviors
        if let filepath = variant.entity("filepath") {
            selection = .filepath(filepath)
            behaviors = behaviorsApplyToFilepath ? try FileWalkBehaviors(attributes: attributes) : FileWalkBehaviors()
            return
        }
        guard let path = variant.entity("path"), let filename = variant.entity("filename") else {
            throw MissingEntity(type: variant.object.type)
        }
        selection = .path(path, filename: filename.isNil ? nil : filename)
        behaviors = try FileWalkBehaviors(attributes: attributes)
    }

    /// `init(variant:behaviorsApplyToFilepath:)`, under the label earlier callers use.
    package init(object variant: FileObjectVariant, behaviorsApplyToFilepath: Bool = true) throws {
        try self.init(variant: variant, behaviorsApplyToFilepath: behaviorsApplyToFilepath)
    }

    /// An object lacks the entities that name its files.
    package struct MissingEntity: Error, CustomStringConvertible, Sendable {
        package let type: String
        package var description: String { "\(type) needs either filepath, or path and filename" }
    }
}

/// What a walk reports besides its entries.
package struct FileWalkReport: Sendable, Equatable {
    /// Set when a comparison failed (OpenSCAP flags the object `error`).
    package var errorFlag = false
    /// Messages for the collected object.
    package var messages: [String] = []

    package init() {}
}
