import GRDB

/// A result row read by column position, whichever database gave it: what the store's
/// shared decoding (`ScanStore.scan(from:)`, `ScanStore.record(from:)`, the fleet) reads,
/// for SQLite and PostgreSQL alike. A value of another type is converted, never trapped on.
protocol SQLRow {
    func text(_ i: Int) -> String?
    func integer(_ i: Int) -> Int64?
    func real(_ i: Int) -> Double?
    /// The value as an error message shows it (quoted when a text).
    func shown(_ i: Int) -> String
}

extension Row: SQLRow {
    func shown(_ i: Int) -> String { "\(self[i] as DatabaseValue)" }

    func text(_ i: Int) -> String? {
        switch (self[i] as DatabaseValue).storage {
        case .null: return nil
        case .int64(let n): return String(n)
        case .double(let d): return "\(d)"
        case .string(let s): return s
        case .blob(let data): return String(decoding: data, as: UTF8.self)
        }
    }

    func integer(_ i: Int) -> Int64? {
        switch (self[i] as DatabaseValue).storage {
        case .int64(let n): return n
        case .double(let d): return Int64(exactly: d)
        case .string(let s): return Int64(s)
        default: return nil
        }
    }

    func real(_ i: Int) -> Double? {
        switch (self[i] as DatabaseValue).storage {
        case .double(let d): return d
        case .int64(let n): return Double(n)
        case .string(let s): return Double(s)
        default: return nil
        }
    }
}
