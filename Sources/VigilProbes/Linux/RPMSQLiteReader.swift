import CSQLite3

/// Reads the `Packages` table of an rpm SQLite database through the system's
/// libsqlite3 (module `CSQLite3`, the same library GRDB links for Vigil's store).
enum RPMSQLiteReader {
    /// Every header blob of the database at `hostPath`, or why it could not be read.
    /// The database is opened read-only and `immutable`: the scanned system is never
    /// written, and no lock or journal file is made next to it.
    static func blobs(atHostPath hostPath: String) -> Result<[[UInt8]], RPMReadError> {
        var db: OpaquePointer?
        let uri = "file:" + uriEscape(hostPath) + "?immutable=1"
        guard sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nil) == SQLITE_OK, db != nil else {
            let message = db.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) } ?? "cannot open"
            _ = sqlite3_close(db)
            return .failure(RPMReadError(message))
        }
        defer { _ = sqlite3_close(db) }
        var stmt: OpaquePointer?
        guard sqlite3_prepare_v2(db, "SELECT blob FROM Packages", -1, &stmt, nil) == SQLITE_OK, stmt != nil else {
            return .failure(RPMReadError(errorMessage(db) ?? "cannot query Packages"))
        }
        defer { _ = sqlite3_finalize(stmt) }
        var out: [[UInt8]] = []
        while true {
            let rc = sqlite3_step(stmt)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else {
                return .failure(RPMReadError(errorMessage(db) ?? "read error \(rc)"))
            }
            let n = Int(sqlite3_column_bytes(stmt, 0))
            guard n > 0, let p = sqlite3_column_blob(stmt, 0) else { continue }
            out.append(Array(UnsafeRawBufferPointer(start: p, count: n)))
        }
        return .success(out)
    }

    private static func errorMessage(_ db: OpaquePointer?) -> String? {
        sqlite3_errmsg(db).map { String(cString: $0) }
    }

    /// Percent-escapes what an SQLite URI path cannot hold literally.
    static func uriEscape(_ path: String) -> String {
        var out = ""
        for b in path.utf8 {
            let c = Character(UnicodeScalar(b))
            if b < 0x80, c.isLetter || c.isNumber || "/-_.~".contains(c) {
                out.append(c)
            } else {
                let h = String(b, radix: 16, uppercase: true)
                out += "%" + (h.count == 1 ? "0" + h : h)
            }
        }
        return out
    }
}
