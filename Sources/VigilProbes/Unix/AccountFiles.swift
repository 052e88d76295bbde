import Foundation

/// One entry of `/etc/passwd`, as glibc's `fgetpwent` reads it. Fields glibc leaves
/// NULL (the bare `+name` NIS compat lines) are nil.
package struct PasswdEntry: Sendable, Equatable {
    package var name: String
    package var password: String?
    package var uid: UInt32
    package var gid: UInt32
    package var gecos: String?
    package var home: String?
    package var shell: String?
}

/// One entry of `/etc/shadow`, as glibc's `fgetspent` reads it. Empty numeric fields
/// are -1 (`flag`: 2^64-1), as in `struct spwd`.
package struct ShadowEntry: Sendable, Equatable {
    package var name: String
    package var password: String?
    package var lastChange: Int64
    package var minDays: Int64
    package var maxDays: Int64
    package var warnDays: Int64
    package var inactiveDays: Int64
    package var expireDate: Int64
    package var flag: UInt64
}

/// A parsed account file, or why it could not be read.
struct AccountTable<Entry: Sendable>: Sendable {
    var entries: [Entry]
    var error: String?
}

/// Reads `/etc/passwd`, `/etc/shadow` and `/var/log/lastlog` of a target the way glibc
/// (2.36) and OpenSCAP's password and shadow probes do: comment, blank and malformed
/// lines are skipped exactly where glibc skips them.
package enum AccountFiles {
    /// The passwd entries of the target, parsed once per scan.
    static func passwd(_ context: ProbeContext) -> AccountTable<PasswdEntry> {
        context.cache.value("accounts.passwd") {
            do {
                let bytes = try context.target.readFile("/etc/passwd")
                return AccountTable(entries: parsePasswd(bytes), error: nil)
            } catch {
                return AccountTable(entries: [], error: "cannot read /etc/passwd: \(error)")
            }
        }
    }

    /// The shadow entries of the target, parsed once per scan.
    static func shadow(_ context: ProbeContext) -> AccountTable<ShadowEntry> {
        context.cache.value("accounts.shadow") {
            do {
                let bytes = try context.target.readFile("/etc/shadow")
                return AccountTable(entries: parseShadow(bytes), error: nil)
            } catch {
                return AccountTable(entries: [], error: "cannot read /etc/shadow: \(error)")
            }
        }
    }

    /// Parses passwd file contents; lines glibc rejects are left out.
    package static func parsePasswd(_ bytes: [UInt8]) -> [PasswdEntry] {
        lines(bytes).compactMap(passwdEntry)
    }

    /// Parses shadow file contents; lines glibc rejects are left out.
    package static func parseShadow(_ bytes: [UInt8]) -> [ShadowEntry] {
        lines(bytes).compactMap(shadowEntry)
    }

    /// Size of glibc's `struct lastlog` on Linux (int32 time, 32-byte line, 256-byte host).
    static let lastlogRecordSize = 292

    /// The last login time of `uid` from the target's `/var/log/lastlog`, or -1 when the
    /// file or the record is missing (as the password probe reports it).
    static func lastLogin(uid: UInt32, target: Target) -> Int64 {
        // lastlog is a sparse file indexed by uid that can be terabytes long: read only
        // the one record (the target opens regular files only, confined to the root).
        var record = [UInt8](repeating: 0, count: lastlogRecordSize)
        let offset = off_t(uid) * off_t(lastlogRecordSize)
        guard let n = try? target.withOpenFile("/var/log/lastlog", { file in
            try record.withUnsafeMutableBytes { try file.read(into: $0, at: Int64(offset)) }
        }), n == lastlogRecordSize else { return -1 }
        let time = UInt32(record[0]) | UInt32(record[1]) << 8 | UInt32(record[2]) << 16 | UInt32(record[3]) << 24
        return Int64(Int32(bitPattern: time))
    }

    /// The method OpenSCAP's shadow probe names for a password hash, or nil where it
    /// gives none (e.g. `$y$` yescrypt, `$2b$`). Anything not starting with `$` or `_`
    /// (including `!`, `*` and the empty string) is "DES".
    package static func encryptMethod(_ password: String) -> String? {
        let p = Array(password.utf8)
        guard let first = p.first else { return "DES" }
        if first == UInt8(ascii: "_") { return "BSDi" }
        guard first == UInt8(ascii: "$") else { return "DES" }
        var i = 1
        let method: String
        switch p.count > i ? p[i] : 0 {
        case UInt8(ascii: "1"): method = "MD5"; i += 1
        case UInt8(ascii: "2"):
            method = "Blowfish"; i += 1
            if i < p.count && p[i] == UInt8(ascii: "a") { i += 1 }
        case UInt8(ascii: "5"): method = "SHA-256"; i += 1
        case UInt8(ascii: "6"): method = "SHA-512"; i += 1
        default:
            guard p.count >= i + 3, p[i..<(i + 3)].elementsEqual("md5".utf8) else { return nil }
            method = "Sun MD5"; i += 3
        }
        return i < p.count && p[i] == UInt8(ascii: "$") ? method : nil
    }

    // MARK: - glibc line parsing

    /// Lines as glibc's nss reader yields them: cut at NUL, leading white space skipped,
    /// empty and `#` lines dropped.
    static func lines(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var out: [ArraySlice<UInt8>] = []
        for raw in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            var line = raw
            if let nul = line.firstIndex(of: 0) { line = line[line.startIndex..<nul] }
            while let c = line.first, isSpace(c) { line = line.dropFirst() }
            guard let c = line.first, c != UInt8(ascii: "#") else { continue }
            out.append(line)
        }
        return out
    }

    static func isSpace(_ c: UInt8) -> Bool {
        c == 0x20 || (c >= 0x09 && c <= 0x0d)
    }

    static func passwdEntry(_ line: ArraySlice<UInt8>) -> PasswdEntry? {
        var f = FieldCursor(line)
        let name = f.stringField()
        let compat = name.hasPrefix("+") || name.hasPrefix("-")
        if f.atEnd && compat {
            return PasswdEntry(name: name, password: nil, uid: 0, gid: 0, gecos: nil, home: nil, shell: nil)
        }
        let password = f.stringField()
        let uid: UInt32, gid: UInt32
        if compat {
            guard let u = f.numberOrDefault(0), let g = f.numberOrDefault(0) else { return nil }
            uid = u; gid = g
        } else {
            guard let u = f.number(), let g = f.number() else { return nil }
            uid = u; gid = g
        }
        let gecos = f.stringField()
        let home = f.stringField()
        let shell = f.rest()
        return PasswdEntry(name: name, password: password, uid: uid, gid: gid, gecos: gecos, home: home, shell: shell)
    }

    static func shadowEntry(_ line: ArraySlice<UInt8>) -> ShadowEntry? {
        var f = FieldCursor(line)
        let name = f.stringField()
        if f.atEnd && (name.hasPrefix("+") || name.hasPrefix("-")) {
            return ShadowEntry(name: name, password: nil, lastChange: 0, minDays: 0, maxDays: 0,
                               warnDays: -1, inactiveDays: -1, expireDate: -1, flag: UInt64.max)
        }
        let password = f.stringField()
        // Numeric fields are read as 32-bit and stored as (long)(int), like glibc.
        func signed(_ v: UInt32?) -> Int64? { v.map { Int64(Int32(bitPattern: $0)) } }
        guard let lastChange = signed(f.numberOrDefault(UInt32.max)),
              let minDays = signed(f.numberOrDefault(UInt32.max)),
              let maxDays = signed(f.numberOrDefault(UInt32.max)) else { return nil }
        f.skipSpaces()
        var entry = ShadowEntry(name: name, password: password, lastChange: lastChange, minDays: minDays,
                                maxDays: maxDays, warnDays: -1, inactiveDays: -1, expireDate: -1, flag: UInt64.max)
        if f.atEnd { return entry } // the old 5-field form
        guard let warn = signed(f.numberOrDefault(UInt32.max)),
              let inactive = signed(f.numberOrDefault(UInt32.max)),
              let expire = signed(f.numberOrDefault(UInt32.max)) else { return nil }
        entry.warnDays = warn
        entry.inactiveDays = inactive
        entry.expireDate = expire
        if !f.atEnd {
            // The last field: a 32-bit number that must end the line.
            guard let flag = f.lastNumber() else { return nil }
            entry.flag = UInt64(flag)
        }
        return entry
    }
}

/// Walks the colon-separated fields of one account-file line with glibc's rules.
struct FieldCursor {
    private let bytes: ArraySlice<UInt8>
    private var pos: ArraySlice<UInt8>.Index

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        self.pos = bytes.startIndex
    }

    var atEnd: Bool { pos >= bytes.endIndex }

    /// Text up to the next colon (the colon is consumed); at the end of the line, "".
    mutating func stringField() -> String {
        let start = pos
        while pos < bytes.endIndex && bytes[pos] != UInt8(ascii: ":") { pos += 1 }
        let value = String(decoding: bytes[start..<pos], as: UTF8.self)
        if pos < bytes.endIndex { pos += 1 }
        return value
    }

    /// Everything left on the line.
    mutating func rest() -> String {
        let value = String(decoding: bytes[pos..<bytes.endIndex], as: UTF8.self)
        pos = bytes.endIndex
        return value
    }

    mutating func skipSpaces() {
        while pos < bytes.endIndex && AccountFiles.isSpace(bytes[pos]) { pos += 1 }
    }

    /// A required number (glibc `INT_FIELD`): nil (line rejected) when there are no
    /// digits, the value does not fit 32 bits, or it is not followed by `:` or the end.
    mutating func number() -> UInt32? {
        guard case .value(let v, let next) = scan() else { return nil }
        return finish(v, next)
    }

    /// A number that must be the rest of the line (the shadow flag field).
    mutating func lastNumber() -> UInt32? {
        guard case .value(let v, let next) = scan(), next == bytes.endIndex else { return nil }
        pos = next
        return v
    }

    /// An optional number (glibc `INT_FIELD_MAYBE_NULL`): `fallback` when the field has
    /// no digits; nil (line rejected) at the end of the line or on a bad value.
    mutating func numberOrDefault(_ fallback: UInt32) -> UInt32? {
        guard !atEnd else { return nil }
        switch scan() {
        case .none: return finish(fallback, pos)
        case .invalid: return nil
        case .value(let v, let next): return finish(v, next)
        }
    }

    private mutating func finish(_ value: UInt32, _ next: ArraySlice<UInt8>.Index) -> UInt32? {
        if next < bytes.endIndex {
            guard bytes[next] == UInt8(ascii: ":") else { return nil }
            pos = next + 1
        } else {
            pos = next
        }
        return value
    }

    private enum Scan { case none, invalid, value(UInt32, ArraySlice<UInt8>.Index) }

    /// `strtoul` at the cursor, limited to 32 bits the way glibc's account parser is
    /// (a value over `UInt32.max`, or a negative one other than -0, is invalid).
    private func scan() -> Scan {
        let number = CNumber(scanning: bytes[pos...])
        guard number.digits > 0 else { return .none }
        if number.overflow || number.magnitude > UInt64(UInt32.max) || (number.negative && number.magnitude != 0) {
            return .invalid
        }
        return .value(UInt32(number.magnitude), bytes.index(pos, offsetBy: number.length))
    }
}
