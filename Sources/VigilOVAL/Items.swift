/// A field of a collected item, e.g. `<filepath>/etc/passwd</filepath>`.
public struct OVALItemField: Sendable, Hashable {
    public var name: String
    public var value: String
    public var datatype: OVALDatatype
    public var status: ItemStatus
    /// Sub-fields of a `record` field.
    public var record: [OVALItemField]

    public init(_ name: String, _ value: String, datatype: OVALDatatype = .string,
                status: ItemStatus = .exists, record: [OVALItemField] = []) {
        self.name = name
        self.value = value
        self.datatype = datatype
        self.status = status
        self.record = record
    }
}

/// A collected system characteristics item.
public struct OVALItem: Sendable, Hashable {
    public var status: ItemStatus
    /// Fields in schema order; a name may repeat (multi-valued fields).
    public var fields: [OVALItemField]

    public init(status: ItemStatus = .exists, fields: [OVALItemField]) {
        self.status = status
        self.fields = fields
    }

    /// All fields with that name.
    public func fields(named name: String) -> [OVALItemField] { fields.filter { $0.name == name } }

    /// The first value with that name.
    public func value(_ name: String) -> String? { fields.first { $0.name == name }?.value }
}

extension OVALItem {
    /// `items` without repeats, first occurrence kept: OpenSCAP gives identical items one
    /// id and lists each id once in a collected object. Items are identical when status,
    /// every field (name, value, datatype, status) and every record field match. The set
    /// holds the items themselves (their fields are shared, not copied).
    package static func unique(_ items: [OVALItem]) -> [OVALItem] {
        guard items.count > 1 else { return items }
        var seen = Set<OVALItem>(minimumCapacity: items.count)
        var out: [OVALItem] = []
        out.reserveCapacity(items.count)
        for item in items where seen.insert(item).inserted {
            out.append(item)
        }
        return out
    }

    /// About how many bytes the item holds in memory: its fields and the text of values
    /// too long to be stored inline; what a probe counts against its budget of items.
    package var estimatedBytes: Int {
        func cost(_ fields: [OVALItemField]) -> Int {
            var total = 32 + fields.count * MemoryLayout<OVALItemField>.stride
            for field in fields {
                let length = field.value.utf8.count
                if length > 15 { total += 32 + length }
                if !field.record.isEmpty { total += cost(field.record) }
            }
            return total
        }
        return MemoryLayout<OVALItem>.stride + cost(fields)
    }
}

/// What collecting an object produced.
public struct CollectedObject: Sendable {
    public var flag: CollectedFlag
    public var items: [OVALItem]
    /// Why the flag is what it is, for error and not-collected cases.
    public var messages: [String]

    public init(flag: CollectedFlag, items: [OVALItem] = [], messages: [String] = []) {
        self.flag = flag
        self.items = items
        self.messages = messages
    }

    /// Items found, with the flag their statuses give (as OpenSCAP computes it):
    /// any error item makes it `error`, any not-collected item `incomplete`,
    /// any existing item `complete`, else `does not exist`.
    public static func found(_ items: [OVALItem]) -> CollectedObject {
        CollectedObject(flag: flag(for: items), items: items)
    }

    /// The flag a list of items gives.
    public static func flag(for items: [OVALItem]) -> CollectedFlag {
        if items.contains(where: { $0.status == .error }) { return .error }
        if items.contains(where: { $0.status == .notCollected }) { return .incomplete }
        if items.contains(where: { $0.status == .exists }) { return .complete }
        return .doesNotExist
    }

    public static func error(_ message: String) -> CollectedObject {
        CollectedObject(flag: .error, messages: [message])
    }

    public static func notCollected(_ message: String) -> CollectedObject {
        CollectedObject(flag: .notCollected, messages: [message])
    }
}
