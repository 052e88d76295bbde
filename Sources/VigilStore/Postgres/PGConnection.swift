import CLibPQ
import Foundation

/// One libpq connection: parameterised statements with text parameters (binary-safe: each
/// parameter is passed apart from the SQL, never spliced into it), rows as text, and
/// errors with their SQLSTATE. Not thread-safe: `PostgresStore` serialises its use.
final class PGConnection {
    private let conn: OpaquePointer
    /// The address, without its password, for messages.
    let location: String

    /// Connects with a libpq connection URI (`postgresql://user@host:port/db?sslmode=...`):
    /// libpq's own rules apply (PGSSL* and PG* environment variables, ~/.pgpass).
    init(uri: String) throws {
        location = DatabaseURI.redacted(uri)
        guard let conn = PQconnectdb(TLSDefault.applied(to: DatabaseURI.withConnectTimeout(uri))) else {
            throw StoreError.database(path: location, message: "cannot connect to PostgreSQL: out of memory")
        }
        self.conn = conn
        guard PQstatus(conn) == CONNECTION_OK else {
            // deinit finishes the connection: every property is set, so it runs on this throw too.
            let message = PGConnection.clean(String(cString: PQerrorMessage(conn)))
            throw StoreError.database(path: location, message: "cannot connect to PostgreSQL: \(DatabaseURI.scrub(message, uri: uri))")
        }
        // Notices (e.g. "relation already exists, skipping") are not the user's concern.
        PQsetNoticeProcessor(conn, { _, _ in }, nil)
    }

    deinit { PQfinish(conn) }

    /// Runs one statement with `$1`, `$2`... bound to `parameters` (nil is NULL); returns
    /// its rows. A statement that fails throws `PGError` with PostgreSQL's message and SQLSTATE.
    @discardableResult
    func execute(_ sql: String, _ parameters: [String?] = []) throws -> PGRows {
        let result: OpaquePointer?
        if parameters.isEmpty {
            result = PQexec(conn, sql)
        } else {
            // Each parameter's bytes are copied into a C string that lives for the call.
            let cStrings: [UnsafeMutablePointer<CChar>?] = parameters.map { $0.map { strdup(PGConnection.storable($0)) } ?? nil }
            defer { cStrings.forEach { free($0) } }
            result = cStrings.withUnsafeBufferPointer { buffer in
                buffer.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: buffer.count) { values in
                    PQexecParams(conn, sql, Int32(parameters.count), nil, values, nil, nil, 0)
                }
            }
        }
        guard let result else { throw PGError(sqlState: "", message: PGConnection.clean(String(cString: PQerrorMessage(conn)))) }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return PGRows(result)
        default:
            let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) } ?? ""
            let message = PGConnection.clean(String(cString: PQresultErrorMessage(result)))
            throw PGError(sqlState: state, message: message)
        }
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN")
        do {
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            _ = try? execute("ROLLBACK")
            throw error
        }
    }

    /// Whether the connection still works (a server restart breaks it).
    var isUsable: Bool { PQstatus(conn) == CONNECTION_OK }

    /// A text PostgreSQL can hold: it has no NUL character, which becomes U+FFFD.
    static func storable(_ text: String) -> String {
        text.contains("\u{0}") ? text.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}") : text
    }

    /// libpq's message on one line: "ERROR:  " and trailing newlines dropped.
    static func clean(_ message: String) -> String {
        var text = message.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.hasPrefix("ERROR:") { text = String(text.dropFirst(6)).trimmingCharacters(in: .whitespaces) }
        return text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: "; ")
    }
}

/// A statement PostgreSQL refused: its message and SQLSTATE (`42501`: insufficient privilege).
struct PGError: Error, CustomStringConvertible {
    let sqlState: String
    let message: String

    var description: String { sqlState.isEmpty ? message : "\(message) (SQLSTATE \(sqlState))" }

    /// The role lacks a privilege the statement needs.
    var isPermissionDenied: Bool { sqlState == "42501" }
    /// The connection broke (server gone, network): SQLSTATE class 08 or none at all.
    var isConnectionLost: Bool { sqlState.isEmpty || sqlState.hasPrefix("08") || sqlState.hasPrefix("57P") }
}

/// The rows of one result, copied out of libpq as text (NULL as nil).
struct PGRows {
    let columns: Int
    let values: [[String?]]

    init(_ result: OpaquePointer) {
        let rowCount = Int(PQntuples(result))
        let columnCount = Int(PQnfields(result))
        columns = columnCount
        var rows: [[String?]] = []
        rows.reserveCapacity(rowCount)
        for r in 0..<rowCount {
            var row: [String?] = []
            row.reserveCapacity(columnCount)
            for c in 0..<columnCount {
                if PQgetisnull(result, Int32(r), Int32(c)) != 0 { row.append(nil); continue }
                row.append(String(cString: PQgetvalue(result, Int32(r), Int32(c))))
            }
            rows.append(row)
        }
        values = rows
    }

    var count: Int { values.count }
    var first: PGRow? { values.first.map(PGRow.init) }
    var rows: [PGRow] { values.map(PGRow.init) }
}

/// One row of `PGRows`, read by column position.
struct PGRow: SQLRow {
    let cells: [String?]

    func text(_ i: Int) -> String? { cells[i] }
    func integer(_ i: Int) -> Int64? { cells[i].flatMap { Int64($0) } }
    func real(_ i: Int) -> Double? { cells[i].flatMap { Double($0) } }
    func shown(_ i: Int) -> String { cells[i].map { "\"\($0)\"" } ?? "NULL" }
}
