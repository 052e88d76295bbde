/// One logical line of an OpenSSL configuration (continuations joined), handled as
/// `conf_def.c` handles it: a section header, a directive, or an assignment.
struct OpenSSLConfigLine {
    let parser: OpenSSLConfigParser
    let state: OpenSSLConfigReadState
    let location: OpenSSLConfigLocation
    let depth: Int
    let inDirectory: Bool

    private typealias Syntax = OpenSSLConfigSyntax

    func handle(_ line: [UInt8]) throws(OpenSSLConfigError) {
        let s = Syntax.stripComment(line)
        let i = Syntax.skipSpace(s, 0)
        guard i < s.count else { return }
        if s[i] == UInt8(ascii: "[") { return try sectionHeader(s, i + 1) }
        var nameStart = i
        var end = Syntax.nameEnd(s, i, dollarID: state.dollarID)
        var section = state.section
        if end + 1 < s.count, s[end] == 0x3A, s[end + 1] == 0x3A {
            section = String(decoding: s[nameStart..<end], as: UTF8.self)
            nameStart = end + 2
            end = Syntax.nameEnd(s, nameStart, dollarID: state.dollarID)
        }
        let p = Syntax.skipSpace(s, end)
        let equals = p < s.count && s[p] == UInt8(ascii: "=")
        let token = s[nameStart..<end]
        for (directive, length) in [(".pragma", 7), (".include", 8)] where token.starts(with: directive.utf8) {
            if p != nameStart + length || equals {
                let argument = Syntax.trimTrailing(s[(equals ? Syntax.skipSpace(s, p + 1) : p)...])
                return length == 7 ? try pragma(argument) : try include(argument, section: section)
            }
        }
        guard equals else { throw OpenSSLConfigError(location, "missing equal sign") }
        let raw = Syntax.trimTrailing(s[Syntax.skipSpace(s, p + 1)...])
        let value = try expand(raw, section: section)
        let name = String(decoding: token, as: UTF8.self)
        state.config.add(OpenSSLConfigEntry(name: name, value: value, location: location), to: section)
    }

    private func sectionHeader(_ s: [UInt8], _ from: Int) throws(OpenSSLConfigError) {
        let start = Syntax.skipSpace(s, from)
        var scan = start
        while true {
            let end = Syntax.nameEnd(s, scan, dollarID: state.dollarID)
            let p = Syntax.skipSpace(s, end)
            if p < s.count, s[p] == UInt8(ascii: "]") {
                state.section = try expand(s[start..<end], section: nil)
                state.config.ensureSection(state.section)
                return
            }
            guard p < s.count, p != scan else { throw OpenSSLConfigError(location, "missing close square bracket") }
            scan = p
        }
    }

    private func pragma(_ argument: ArraySlice<UInt8>) throws(OpenSSLConfigError) {
        guard let colon = argument.firstIndex(of: 0x3A), colon != argument.startIndex, colon + 1 < argument.endIndex else {
            throw OpenSSLConfigError(location, "invalid pragma '\(String(decoding: argument, as: UTF8.self))'")
        }
        let key = String(decoding: Syntax.trimTrailing(argument[..<colon]), as: UTF8.self)
        var v = colon + 1
        while v < argument.endIndex, Syntax.isSpace(argument[v]) { v += 1 }
        let value = String(decoding: argument[v...], as: UTF8.self)
        switch key {
        case "dollarid": state.dollarID = try bool(value)
        case "abspath": state.absPath = try bool(value)
        case "includedir": state.includeDir = value
        default: break  // OpenSSL ignores unknown pragmas
        }
    }

    private func bool(_ value: String) throws(OpenSSLConfigError) -> Bool {
        switch value {
        case "on", "true": return true
        case "off", "false": return false
        default: throw OpenSSLConfigError(location, "invalid pragma value '\(value)' (on, off, true or false)")
        }
    }

    private func include(_ argument: ArraySlice<UInt8>, section: String) throws(OpenSSLConfigError) {
        var path = try expand(argument, section: section)
        if !path.hasPrefix("/"), let dir = state.includeDir {
            path = dir.hasSuffix("/") ? dir + path : dir + "/" + path
        }
        if path.isEmpty {
            state.config.skippedIncludes.append("\(location): (empty path)")
            return
        }
        if !path.hasPrefix("/") {
            if state.absPath { throw OpenSSLConfigError(location, "relative include '\(path)' under .pragma abspath") }
            state.config.unresolvedIncludes.append("\(location): \(path)")
            return
        }
        try parser.include(path, state: state, location: location, depth: depth, inDirectory: inDirectory)
    }

    private func expand(_ raw: ArraySlice<UInt8>, section: String?) throws(OpenSSLConfigError) -> String {
        let expander = OpenSSLValueExpander(config: state.config, dollarID: state.dollarID)
        let value: String
        do { value = try expander.expand(raw, section: section) } catch { throw OpenSSLConfigError(location, error.description) }
        state.expandedBytes += value.utf8.count
        guard state.expandedBytes <= parser.limits.maxExpandedBytes else {
            throw OpenSSLConfigError(location, "more than \(parser.limits.maxExpandedBytes) bytes of expanded values")
        }
        return value
    }
}
