import VigilTarget

/// Reads an OpenSSL configuration through a target, as libcrypto's `conf_def.c` reads it,
/// without libcrypto: every `.include` is resolved inside the target (an absolute path is
/// a path in the scanned root, links stay confined by the target), nothing is loaded.
///
/// Semantics kept: comments, `[section]` (its name expanded), `name = value` and
/// `section::name = value`, line continuation by a final backslash, quotes and escapes,
/// variable expansion (`OpenSSLValueExpander`), `.pragma [=] dollarid|abspath:on|off|true|false`
/// and `includedir:DIR`, `.include [=] PATH`. A missing include is skipped (as OpenSSL does;
/// listed in `skippedIncludes`). A directory include reads the directory's `*.cnf` and
/// `*.conf` files (suffix case-insensitive, name longer than the suffix) in the order the
/// file system lists them (OpenSSL's `readdir` order); subdirectories and a directory
/// included from a directory's file are ignored. A relative path is joined to the
/// `includedir` pragma (the programs' `OPENSSL_CONF_INCLUDE` is unknown and counts as
/// unset); still relative, it would resolve against each program's working directory, so
/// it is listed in `unresolvedIncludes` and not read.
///
/// Limits against hostile input: includes nested 16 deep, 256 files, 4 MiB per file,
/// 16 MiB read in all, values 64 KiB after expansion (OpenSSL's own limit) and 32 MiB of
/// expanded values in all. Beyond them, or on a syntax error OpenSSL reports, `parse`
/// throws an `OpenSSLConfigError` naming the file and line.
public struct OpenSSLConfigParser: Sendable {
    /// The limits `parse` keeps.
    public struct Limits: Sendable {
        public var maxDepth = 16
        public var maxFiles = 256
        public var maxFileBytes = 4 << 20
        public var maxTotalBytes = 16 << 20
        public var maxExpandedBytes = 32 << 20
        public init() {}
    }

    let target: any Target
    let limits: Limits

    public init(target: any Target, limits: Limits = Limits()) {
        self.target = target
        self.limits = limits
    }

    /// The configuration in `path` (a path in the target). A main file that does not exist
    /// gives an empty configuration with no `files` (OpenSSL then uses its defaults).
    public func parse(_ path: String) throws(OpenSSLConfigError) -> OpenSSLConfig {
        let state = OpenSSLConfigReadState()
        guard target.fileInfo(path) != nil else { return state.config }
        try read(path, state: state, depth: 0, inDirectory: false, from: nil)
        return state.config
    }

    func read(_ path: String, state: OpenSSLConfigReadState, depth: Int, inDirectory: Bool,
              from: OpenSSLConfigLocation?) throws(OpenSSLConfigError) {
        guard depth <= limits.maxDepth else { throw OpenSSLConfigError(from, "includes nested more than \(limits.maxDepth) deep") }
        guard state.config.files.count < limits.maxFiles else { throw OpenSSLConfigError(from, "more than \(limits.maxFiles) files included") }
        let bytes: [UInt8]
        do { bytes = try target.readFile(path, limit: limits.maxFileBytes) } catch {
            if from == nil || target.fileInfo(path)?.isRegular == true {
                throw OpenSSLConfigError(from, "cannot read \(path): \(error)")
            }
            state.config.skippedIncludes.append("\(from!): \(path)")
            return
        }
        state.totalBytes += bytes.count
        guard state.totalBytes <= limits.maxTotalBytes else { throw OpenSSLConfigError(from, "more than \(limits.maxTotalBytes) bytes of configuration") }
        state.config.files.append(path)
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map { Array($0) }
        if from == nil, let first = lines.first, first.starts(with: [0xEF, 0xBB, 0xBF]) { lines[0] = Array(first.dropFirst(3)) }
        var logical: [UInt8] = []
        var start = 1
        for (n, var raw) in lines.enumerated() {
            if logical.isEmpty { start = n + 1 }
            // libcrypto's lines are C strings: a NUL ends the text, and unless what is left
            // ends in a carriage return, no line end was seen and the next line is joined.
            let nul = raw.firstIndex(of: 0)
            if let nul { raw.removeSubrange(nul...) }
            let ended = nul == nil || raw.last == 0x0D
            while let last = raw.last, last == 0x0D || last == 0x0A { raw.removeLast() }
            logical += raw
            if !ended, n + 1 < lines.count { continue }
            if let last = logical.last, last == OpenSSLConfigSyntax.escape,
               logical.count < 2 || logical[logical.count - 2] != OpenSSLConfigSyntax.escape {
                logical.removeLast()
                if n + 1 < lines.count { continue }
            }
            let location = OpenSSLConfigLocation(file: path, line: start)
            try OpenSSLConfigLine(parser: self, state: state, location: location, depth: depth, inDirectory: inDirectory).handle(logical)
            logical = []
        }
    }

    /// Reads the include at `path` (absolute, in the target) named at `location`.
    func include(_ path: String, state: OpenSSLConfigReadState, location: OpenSSLConfigLocation,
                 depth: Int, inDirectory: Bool) throws(OpenSSLConfigError) {
        guard let info = target.fileInfo(path) else {
            state.config.skippedIncludes.append("\(location): \(path)")
            return
        }
        guard info.isDirectory else {
            return try read(path, state: state, depth: depth + 1, inDirectory: inDirectory, from: location)
        }
        guard !inDirectory, case .success(let entries) = target.directoryEntries(path) else {
            state.config.skippedIncludes.append("\(location): \(path)")
            return
        }
        for entry in entries where Self.takesFromDirectory(entry.name) {
            let file = path.hasSuffix("/") ? path + entry.name : path + "/" + entry.name
            guard target.fileInfo(file)?.isRegular == true else { continue }
            try read(file, state: state, depth: depth + 1, inDirectory: true, from: location)
        }
    }

    /// Whether a directory include reads the file named `name`.
    static func takesFromDirectory(_ name: String) -> Bool {
        let lower = Array(name.lowercased().utf8)
        return (lower.count > 5 && lower.suffix(5).elementsEqual(".conf".utf8))
            || (lower.count > 4 && lower.suffix(4).elementsEqual(".cnf".utf8))
    }
}

/// What `OpenSSLConfigParser` carries from line to line and across included files.
final class OpenSSLConfigReadState {
    var config = OpenSSLConfig()
    var section = OpenSSLConfig.defaultSection
    var dollarID = false
    var absPath = false
    var includeDir: String?
    var totalBytes = 0
    var expandedBytes = 0
}
