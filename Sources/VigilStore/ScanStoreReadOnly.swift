import Foundation
import GRDB

extension ScanStore {
    /// Opens the database for reading only. It must exist and be a Vigil database; one
    /// from an older Vigil is copied into memory and migrated there (the file is left as
    /// it is; `write` refuses to write to the copy).
    static func openForReading(_ path: String) throws -> DatabaseQueue {
        var st = stat()
        if stat(path, &st) != 0 {
            let code = errno
            if code == ENOENT { throw StoreError.missing(path: path) }
            throw StoreError.location(path: path, message: "cannot read the database: \(SystemErrorText.errnoText(code))")
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            throw StoreError.location(path: path, message: "is not a regular file")
        }
        try checkHeader(path, size: st.st_size)
        let migrator = StoreSchema.migrator
        let queue = try readOnlyQueue(path)
        if try checkOwnership(queue, path, migrator: migrator) { return queue }
        var config = Configuration()
        config.foreignKeysEnabled = true
        let copy = try DatabaseQueue(configuration: config)
        try queue.backup(to: copy)
        try queue.close()
        try migrator.migrate(copy)
        return copy
    }

    /// A connection that SQLite opens read-only (`SQLITE_OPEN_READONLY`). A database in
    /// WAL mode needs its `-shm` index, which a user who cannot write the directory cannot
    /// create: when there is no write-ahead log to read (no `-wal` file, or an empty one),
    /// the file is then opened as immutable, which needs no index.
    static func readOnlyQueue(_ path: String) throws -> DatabaseQueue {
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(10)
        config.foreignKeysEnabled = true
        do {
            let queue = try DatabaseQueue(path: path, configuration: config)
            do {
                _ = try queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM sqlite_master") }
                return queue
            } catch {
                try? queue.close()
                throw error
            }
        } catch let error as DatabaseError where [.SQLITE_READONLY, .SQLITE_CANTOPEN].contains(error.resultCode) {
            var st = stat()
            guard stat(path + "-wal", &st) != 0 || st.st_size == 0 else {
                throw StoreError.database(path: path, message: "its write-ahead log \(path)-wal holds writes not yet in the database, which this user cannot read: the log or its index (-shm) cannot be opened or made (SQLite: \(error.message ?? "\(error.resultCode)")); read it as the user who stores the scans, or after their next scan, or \(StoreError.wayOut(.readOnly))")
            }
            return try DatabaseQueue(path: immutableURI(path), configuration: config)
        }
    }

    /// An SQLite URI naming `path` with `immutable=1` (the system's SQLite reads URIs).
    static func immutableURI(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var encoded = ""
        for byte in absolute.utf8 {
            let c = Character(Unicode.Scalar(byte))
            if byte < 0x80 && (c.isLetter || c.isNumber || "/-._~".contains(c)) {
                encoded.append(c)
            } else {
                encoded += String(format: "%%%02X", byte)
            }
        }
        return "file://" + encoded + "?immutable=1"
    }
}
