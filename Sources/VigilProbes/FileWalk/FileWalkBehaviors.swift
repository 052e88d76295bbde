import Foundation

/// The file behaviors of a file-system object (`max_depth`, `recurse`,
/// `recurse_direction`, `recurse_file_system`) with OpenSCAP 1.3.7's defaults
/// (`probe_filebehaviors_canonicalize`) and its reading of each value (`oval_fts.c`).
package struct FileWalkBehaviors: Sendable, Equatable {
    /// Which kinds of entries a downward walk enters (oval_fts.h's `OVAL_RECURSE_*` bits).
    package struct Recurse: OptionSet, Sendable, Hashable {
        package let rawValue: Int
        package init(rawValue: Int) { self.rawValue = rawValue }
        package static let files = Recurse(rawValue: 0x01)
        package static let directories = Recurse(rawValue: 0x02)
        package static let symlinks = Recurse(rawValue: 0x04)

        /// The value of a `recurse` attribute, or nil when OpenSCAP rejects it.
        /// "files and directories" is `files | symlinks` in OpenSCAP 1.3.7 (its constant
        /// lacks the directories bit), so it enters only directories reached through links.
        package init?(attribute: String) {
            switch attribute {
            case "symlinks and directories": self = [.symlinks, .directories]
            case "files and directories": self = [.files, .symlinks]
            case "symlinks": self = [.symlinks]
            case "directories": self = [.directories]
            default: return nil
            }
        }
    }

    /// `recurse_direction`.
    package enum Direction: String, Sendable {
        case none, down, up
    }

    /// `recurse_file_system`.
    package enum FileSystem: String, Sendable {
        /// Every file system.
        case all
        /// Only file systems the scanning host mounts from local devices (not network or
        /// pseudo file systems), as `df -l` lists them.
        case local
        /// Only the file system of the starting path.
        case defined
    }

    /// Levels below the starting directory to visit; -1 for no limit.
    package var maxDepth: Int
    package var recurse: Recurse
    package var direction: Direction
    package var fileSystem: FileSystem

    /// Behaviors with the given values (OpenSCAP's defaults when omitted).
    package init(maxDepth: Int = -1, recurse: Recurse = [.symlinks, .directories],
                direction: Direction = .none, fileSystem: FileSystem = .all) {
        self.maxDepth = maxDepth
        self.recurse = recurse
        self.direction = direction
        self.fileSystem = fileSystem
    }

    /// Reads the attributes of a `<behaviors>` element. Throws for a value OpenSCAP
    /// rejects (its probe then collects nothing). `max_depth` is read as C's `strtol`
    /// reads it: leading digits, 0 when there are none.
    package init(attributes: [String: String]) throws {
        self.init()
        if let text = attributes["max_depth"] {
            guard let depth = FileWalkBehaviors.strtol(text) else {
                throw FileWalkError("invalid max_depth '\(text)'")
            }
            maxDepth = depth
        }
        if let text = attributes["recurse"] {
            guard let value = Recurse(attribute: text) else { throw FileWalkError("invalid recurse '\(text)'") }
            recurse = value
        }
        if let text = attributes["recurse_direction"] {
            guard let value = Direction(rawValue: text) else {
                throw FileWalkError("invalid recurse_direction '\(text)'")
            }
            direction = value
        }
        if let text = attributes["recurse_file_system"] {
            guard let value = FileSystem(rawValue: text) else {
                throw FileWalkError("invalid recurse_file_system '\(text)'")
            }
            fileSystem = value
        }
    }

    /// `strtol(text, NULL, 10)`, nil when it overflows (the only error OpenSCAP checks).
    static func strtol(_ text: String) -> Int? {
        let (value, rangeError) = CNumber.strtol(text)
        return rangeError ? nil : Int(value)
    }
}

/// Why a file walk collected nothing (an invalid behavior or path).
package struct FileWalkError: Error, CustomStringConvertible, Sendable {
    package let message: String
    package init(_ message: String) { self.message = message }
    package var description: String { message }
}
