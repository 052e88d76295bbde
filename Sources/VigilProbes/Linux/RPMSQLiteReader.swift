import CSQLite3

/// Reads the `Packages` table of an rpm SQLite database through the system's
/// libsqlite3 (module `CSQLite3`, the same library GRDB links for Vigil's store).
enum RPMSQLiteReader {
    /// Every header blob of the database whose file holds `bytes`, or why it could not be
    /// read. The file is read through the target (no host path is needed, so any kind of
    /// target works) and handed to SQLite as a read-only in-memory database: the scanned
    /// system is never written, and no lock or journal file is made next to it. A database
    /// in WAL mode is read as its main file stands, as an `immutable` open reads it.
    static func blobs(database bytes: [UInt8]) -> Result<[[UInt8]], RPMReadError> {
        var image = bytes
        // Bytes 18 and 19 are the file format's write and read versions: 2 is WAL mode,
        // which an in-memory database cannot use; 1 (rollback journal) reads the same pages.
        if image.count >= 100, image[18] == 2, image[19] == 2 { image[18] = 1; image[19] = 1 }
        return image.withUnsafeMutableBytes { buffer in
            var db: OpaquePointer?
            guard sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READONLY, nil) == SQLITE_OK, db != nil else {
                _ = sqlite3_close(db)
                return .failure(RPMReadError("cannot open an in-memory database"))
            }
            defer { _ = sqlite3_close(db) }
            let size = sqlite3_int64(buffer.count)
            guard let base = buffer.baseAddress,
                  sqlite3_deserialize(db, "main", base.assumingMemoryBound(to: UInt8.self), size, size,
                                      UInt32(SQLITE_DESERIALIZE_READONLY)) == SQLITE_OK else {
                return .failure(RPMReadError(errorMessage(db) ?? "cannot read the database"))
            }
            return packageBlobs(db)
        }
    }

    /// The `blob` column of every row of table `Packages`.
    private static func packageBlobs(_ db: OpaquePointer?) -> Result<[[UInt8]], RPMReadError> {
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
}
