/// A variable's values hashed for the equality operations, so that comparing one value
/// found on the system with all of them is one lookup instead of one comparison per value.
/// The answer is the tally `OVALCompare.compare` would give value by value (how many
/// `true`, `false`, `error`), so `var_check` combines it exactly as before, duplicates
/// counted. Built only for what hashing reproduces exactly (see `reading`); any other
/// operation or datatype compares value by value.
struct ValueIndex: Sendable {
    /// How values are read, so that equal keys mean `equals` holds.
    enum Reading: Hashable, Sendable {
        /// The bytes up to the first NUL (string equality, as C's `strcmp`).
        case bytes
        /// The same with ASCII letters folded (as `strcasecmp`; binary equality too).
        case foldedBytes
        /// A 64-bit int as OpenSCAP parses it; a value that does not parse is an error.
        case int
        /// true for exactly "true" or "1", anything else false.
        case boolean
    }

    /// A variable's values read one way: what the evaluator keeps one index for.
    struct Use: Hashable, Sendable {
        let variable: String
        let reading: Reading
    }

    /// A value as read (see `Reading`).
    enum Key: Hashable, Sendable {
        case bytes(CBytes)
        case int(Int64)
        case boolean(Bool)
    }

    /// Fewer values than this compare one by one: hashing would cost more than it saves.
    static let minimumValues = 8

    let reading: Reading
    /// How many values read as each key.
    private let counts: [Key: Int]
    /// Values that cannot be read (an int that does not parse): each compares `error`.
    private let unreadable: Int
    private let total: Int

    /// The index of `values` for `operation` under `datatype`, or nil when hashing cannot
    /// give the same results (see `reading`).
    init?(_ values: [String], _ operation: OVALOperation, datatype: OVALDatatype) {
        guard let reading = Self.reading(operation, datatype) else { return nil }
        self.init(values, reading)
    }

    init(_ values: [String], _ reading: Reading) {
        self.reading = reading
        var counts: [Key: Int] = [:]
        var unreadable = 0
        for v in values {
            if let key = Self.key(v, reading) { counts[key, default: 0] += 1 } else { unreadable += 1 }
        }
        self.counts = counts
        self.unreadable = unreadable
        self.total = values.count
    }

    /// How values are read for `operation` under `datatype`; nil for what hashing cannot
    /// answer exactly: operations other than (case insensitive) equals and not equal, and
    /// datatypes whose equality is not one of a key (float, versions, addresses).
    static func reading(_ operation: OVALOperation, _ datatype: OVALDatatype) -> Reading? {
        switch (datatype, operation) {
        case (.string, .equals), (.string, .notEqual): return .bytes
        case (.string, .caseInsensitiveEquals), (.string, .caseInsensitiveNotEqual): return .foldedBytes
        case (.binary, .equals), (.binary, .notEqual): return .foldedBytes
        case (.int, .equals), (.int, .notEqual): return .int
        case (.boolean, .equals), (.boolean, .notEqual): return .boolean
        default: return nil
        }
    }

    static func key(_ text: String, _ reading: Reading) -> Key? {
        switch reading {
        case .bytes: return .bytes(CBytes(text, folded: false))
        case .foldedBytes: return .bytes(CBytes(text, folded: true))
        case .int: return OVALCompare.parseInt(text).map(Key.int)
        case .boolean: return .boolean(OVALCompare.booleanValue(text))
        }
    }

    /// The results of comparing `actual` with every value: `operation` is the one the
    /// index was built for (an equality or its negation).
    func results(_ actual: String, _ operation: OVALOperation) -> ResultCounts {
        var r = ResultCounts()
        guard let key = Self.key(actual, reading) else {
            r.e = total
            return r
        }
        let equal = counts[key] ?? 0
        let unequal = total - unreadable - equal
        let negated = operation == .notEqual || operation == .caseInsensitiveNotEqual
        r.t = negated ? unequal : equal
        r.f = negated ? equal : unequal
        r.e = unreadable
        return r
    }
}

/// A string's bytes up to its first NUL, as C code sees it, optionally with ASCII letters
/// folded to lower case; compared and hashed byte by byte (not as Swift compares strings,
/// which would equate canonically equivalent Unicode).
struct CBytes: Hashable, Sendable {
    let text: Substring
    let folded: Bool

    init(_ text: String, folded: Bool) {
        self.text = text.utf8.firstIndex(of: 0).map { text[..<$0] } ?? text[...]
        self.folded = folded
    }

    private var bytes: LazyMapSequence<Substring.UTF8View, UInt8> {
        text.utf8.lazy.map { [folded] in folded ? OVALCompare.asciiLower($0) : $0 }
    }

    static func == (a: CBytes, b: CBytes) -> Bool {
        a.folded == b.folded && a.text.utf8.count == b.text.utf8.count && a.bytes.elementsEqual(b.bytes)
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(text.utf8.count)
        for b in bytes { hasher.combine(b) }
    }
}
