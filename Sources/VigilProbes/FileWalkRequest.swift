import VigilOVAL

/// The kind of a walked entry, as `fts` reports it (`fts_info`).
public enum FileWalkKind: Sendable, Equatable {
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
public struct FileWalkEntry: Sendable, Equatable {
    /// The item's `path`: the directory holding the file, or the directory itself.
    public var path: String
    /// The item's `filename`; nil for a directory item (an object with `xsi:nil` filename).
    public var filename: String?
    public var kind: FileWalkKind

    public init(path: String, filename: String?, kind: FileWalkKind) {
        self.path = path
        self.filename = filename
        self.kind = kind
    }

    /// `path` and `filename` joined without doubling a slash; `path` for a directory item.
    public var filepath: String {
        guard let filename else { return path }
        return path.hasSuffix("/") ? path + filename : path + "/" + filename
    }
}

/// What a file-system object asks to walk: a `filepath`, or a `path` with a `filename`
/// (nil filename: the directories themselves), each with one value, and its behaviors.
public struct FileWalkRequest: Sendable {
    /// Which entities select the files.
    public enum Selection: Sendable {
        case filepath(ResolvedEntity)
        case path(ResolvedEntity, filename: ResolvedEntity?)
    }

    public var selection: Selection
    public var behaviors: FileWalkBehaviors

    public init(selection: Selection, behaviors: FileWalkBehaviors = FileWalkBehaviors()) {
        self.selection = selection
        self.behaviors = behaviors
    }

    /// The request of an object (entities already reduced to one value each). Throws
    /// `FileWalkRequest.MissingEntity` when it has neither `filepath` nor `path` and
    /// `filename`, and `FileWalkError` for behaviors OpenSCAP rejects. With
    /// `behaviorsApplyToFilepath` false (textfilecontent_object), behaviors are ignored
    /// when `filepath` is used.
    public init(object: ResolvedObject, behaviorsApplyToFilepath: Bool = true) throws {
        if let filepath = object.entity("filepath") {
            selection = .filepath(filepath)
            behaviors = behaviorsApplyToFilepath ? try FileWalkBehaviors(attributes: object.behaviors) : FileWalkBehaviors()
            return
        }
        guard let path = object.entity("path"), let filename = object.entity("filename") else {
            throw MissingEntity(type: object.type)
        }
        selection = .path(path, filename: filename.isNil ? nil : filename)
        behaviors = try FileWalkBehaviors(attributes: object.behaviors)
    }

    /// An object lacks the entities that name its files.
    public struct MissingEntity: Error, CustomStringConvertible, Sendable {
        public let type: String
        public var description: String { "\(type) needs either filepath, or path and filename" }
    }
}

/// What a walk reports besides its entries.
public struct FileWalkReport: Sendable, Equatable {
    /// Set when a comparison failed (OpenSCAP flags the object `error`).
    public var errorFlag = false
    /// Messages for the collected object.
    public var messages: [String] = []

    public init() {}
}
