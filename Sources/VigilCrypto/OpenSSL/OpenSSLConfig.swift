/// Where a line of an OpenSSL configuration was written: a path inside the target and the
/// line's number (the first physical line of a continued line).
public struct OpenSSLConfigLocation: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }
    public var description: String { "\(file):\(line)" }
}

/// One `name = value` of an OpenSSL configuration, its value expanded as OpenSSL expands it.
public struct OpenSSLConfigEntry: Sendable, Equatable {
    public var name: String
    public var value: String
    public var location: OpenSSLConfigLocation
    public init(name: String, value: String, location: OpenSSLConfigLocation) {
        self.name = name
        self.value = value
        self.location = location
    }
}

/// An OpenSSL configuration as libcrypto would hold it after reading it (every include
/// expanded): sections of entries in order, a later entry of the same name replacing the
/// earlier one (and taking the later place, as `_CONF_add_string` does). The unnamed first
/// section is `default`.
public struct OpenSSLConfig: Sendable {
    /// Name of the section before any `[section]` line.
    public static let defaultSection = "default"

    private var order: [String] = [OpenSSLConfig.defaultSection]
    /// Per section, its entries in order (nil where a later entry replaced one) and the
    /// index of each name's live entry: adding and looking up stay constant-time.
    private var slots: [String: [OpenSSLConfigEntry?]] = [OpenSSLConfig.defaultSection: []]
    private var index: [String: [String: Int]] = [OpenSSLConfig.defaultSection: [:]]
    /// The files read, in the order they were read (the main file first).
    public internal(set) var files: [String] = []
    /// Includes that name nothing readable (OpenSSL skips them silently), as `file:line: path`.
    public internal(set) var skippedIncludes: [String] = []
    /// Relative includes with no include directory to resolve them: OpenSSL resolves them
    /// against the working directory of each program, which a scan cannot know.
    public internal(set) var unresolvedIncludes: [String] = []

    public init() {}

    /// The section names, in the order they first appeared.
    public var sectionNames: [String] { order }

    /// The entries of a section, or nil when no such section exists.
    public func section(_ name: String) -> [OpenSSLConfigEntry]? { slots[name]?.compactMap { $0 } }

    /// The entry `name` of `section`, else of the default section (`_CONF_get_string`).
    /// With `section` nil, only the default section is searched.
    public func entry(_ section: String?, _ name: String) -> OpenSSLConfigEntry? {
        if let section, let i = index[section]?[name] { return slots[section]![i] }
        return index[Self.defaultSection]?[name].flatMap { slots[Self.defaultSection]![$0] }
    }

    mutating func ensureSection(_ name: String) {
        if slots[name] == nil {
            slots[name] = []
            index[name] = [:]
            order.append(name)
        }
    }

    mutating func add(_ entry: OpenSSLConfigEntry, to section: String) {
        ensureSection(section)
        if let old = index[section]![entry.name] { slots[section]![old] = nil }
        index[section]![entry.name] = slots[section]!.count
        slots[section]!.append(entry)
    }
}

/// Why a configuration cannot be read as OpenSSL reads it: what, and where.
public struct OpenSSLConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public var location: OpenSSLConfigLocation?
    public var message: String
    public init(_ location: OpenSSLConfigLocation?, _ message: String) {
        self.location = location
        self.message = message
    }
    public var description: String { location.map { "\($0): \(message)" } ?? message }
}
