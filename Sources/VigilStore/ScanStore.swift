import Foundation
import GRDB

/// The SQLite database of stored scans (GRDB over the system's libsqlite3, in WAL mode so
/// that readers never wait for a scan being written).
///
/// - A scan is written in one transaction: a crash or `kill -9` at any moment leaves every
///   earlier scan intact and never a part of a scan.
/// - A new database file is created 0600 in a directory created 0700; an existing file
///   readable by others is made 0600.
/// - A file that is not a Vigil database is refused and never written to; a database
///   from a newer Vigil is refused; an older one is migrated in place.
/// - Opened `.readOnly`, nothing is created, migrated or written: SQLite opens the file
///   read-only, so a user who can read but not write the database (or its directory) can
///   list and compare its scans.
public final class ScanStore: Sendable {
    /// How a command uses the database.
    public enum Access: Sendable {
        /// Storing and pruning: the database is created when missing and migrated when older.
        case readWrite
        /// Listing, showing, comparing and reporting: the file is opened read-only and must
        /// exist; one from an older Vigil is migrated in a private copy in memory. Writes
        /// are refused.
        case readOnly
    }

    public let path: String
    public let access: Access
    let pool: any DatabaseWriter

    /// Opens the database at `path`: `.readWrite` creates it when missing.
    public init(path: String, access: Access = .readWrite) throws {
        self.path = path
        self.access = access
        do {
            switch access {
            case .readWrite: pool = try ScanStore.openForWriting(path)
            case .readOnly: pool = try ScanStore.openForReading(path)
            }
        } catch let error as StoreError {
            throw error.withWayOut(access)
        } catch {
            throw ScanStore.wrap(error, path, access: access)
        }
    }

    /// Opens a pool that reads and writes, creating and migrating the database as needed.
    private static func openForWriting(_ path: String) throws -> DatabasePool {
        try ScanStore.prepareFile(path)
        let migrator = StoreSchema.migrator
        let probe = try readOnlyQueue(path)
        let current = try checkOwnership(probe, path, migrator: migrator)
        try probe.close()
        var config = Configuration()
        config.busyMode = .timeout(10)
        config.foreignKeysEnabled = true
        let pool = try DatabasePool(path: path, configuration: config)
        // A database that is up to date is not written to on opening, so that readers
        // never wait for a scan being stored.
        if !current {
            try pool.write { db in
                if try Int32.fetchOne(db, sql: "PRAGMA application_id") != StoreSchema.applicationID {
                    try db.execute(sql: "PRAGMA application_id = \(StoreSchema.applicationID)")
                }
            }
            try migrator.migrate(pool)
        }
        return pool
    }

    // MARK: Opening safely

    /// Makes sure the file exists as a private regular file (creating it and its directory
    /// when missing) and, when it has content, that it is an SQLite database.
    static func prepareFile(_ path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty && !FileManager.default.fileExists(atPath: directory) {
            // Made one level at a time with mkdir, so that the failing level and its
            // errno are known (Foundation reports "error 512" and nothing more).
            var made = directory.hasPrefix("/") ? "" : "."
            for part in directory.split(separator: "/") {
                made += "/" + part
                if mkdir(made, 0o700) == 0 { continue }
                let code = errno
                var st = stat()
                if code == EEXIST && stat(made, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR { continue }
                throw StoreError.location(path: directory, message: "cannot create the directory: \(made): "
                    + SystemErrorText.errnoText(code == EEXIST ? ENOTDIR : code))
            }
        }
        var st = stat()
        if lstat(path, &st) != 0 {
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
            guard fd >= 0 else {
                throw StoreError.location(path: path, message: "cannot create the database: \(String(cString: strerror(errno)))")
            }
            close(fd)
            return
        }
        if (st.st_mode & S_IFMT) == S_IFLNK {
            throw StoreError.location(path: path, message: "is a symbolic link; give the database's real path")
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            throw StoreError.location(path: path, message: "is not a regular file")
        }
        try checkHeader(path, size: st.st_size)
        if st.st_mode & 0o077 != 0 && st.st_uid == geteuid() {
            chmod(path, 0o600)
        }
    }

    /// Refuses a non-empty file that does not start as an SQLite database does.
    static func checkHeader(_ path: String, size: off_t) throws {
        guard size > 0 else { return }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw StoreError.location(path: path, message: "cannot read the database: \(String(cString: strerror(errno)))")
        }
        let header = handle.readData(ofLength: 16)
        try? handle.close()
        guard header == Data("SQLite format 3\0".utf8) else {
            throw StoreError.foreign(path: path, reason: "not an SQLite database")
        }
    }

    /// Refuses, without writing anything, a database that another program made or that a
    /// newer Vigil migrated. Returns whether the database is Vigil's and fully migrated.
    static func checkOwnership(_ queue: DatabaseQueue, _ path: String, migrator: DatabaseMigrator) throws -> Bool {
        try queue.read { db in
            let appID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
            let tables = try Int.fetchOne(db, sql: """
                SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
                """) ?? 0
            if appID == StoreSchema.applicationID {
                if try migrator.hasBeenSuperseded(db) {
                    let known = Set(migrator.migrations)
                    let unknown = try migrator.appliedIdentifiers(db).subtracting(known).sorted()
                    throw StoreError.newerSchema(path: path, unknown: unknown)
                }
                return try migrator.hasCompletedMigrations(db)
            } else if appID != 0 {
                throw StoreError.foreign(path: path, reason: String(format: "application id 0x%08x", appID))
            } else if tables > 0 {
                throw StoreError.foreign(path: path, reason: "it holds \(tables) tables that Vigil did not make")
            }
            return false
        }
    }

    /// The error as Vigil says it: the file, and the cause in plain words, with SQLite's
    /// own words after it; for a problem of access rights, the way out for `access`.
    static func wrap(_ error: any Error, _ path: String, access: Access) -> StoreError {
        guard let db = error as? DatabaseError else { return .database(path: path, message: "\(error)") }
        let sqlite = "SQLite: \(db.message ?? "\(db.resultCode)")"
        let wayOut = StoreError.wayOut(access)
        switch db.resultCode {
        case .SQLITE_NOTADB: return .foreign(path: path, reason: "not an SQLite database")
        case .SQLITE_CORRUPT: return .database(path: path, message: "the database is corrupt (\(sqlite)); it was left untouched")
        case .SQLITE_FULL: return .database(path: path, message: "the disk is full (\(sqlite)); nothing of this write was kept")
        case .SQLITE_IOERR:
            let reading = [ResultCode.SQLITE_IOERR_READ, .SQLITE_IOERR_SHORT_READ].contains(db.extendedResultCode)
            return .database(path: path, message: reading
                ? "reading the database from disk failed (\(sqlite))"
                : "writing the database to disk failed: the disk may be full, over a size limit or failing (\(sqlite)); nothing of this write was kept")
        case .SQLITE_READONLY:
            // Opened read-only, writes are refused before SQLite sees them: this is a read
            // that needs the write-ahead log's index, which cannot be opened or made here.
            return .database(path: path, message: access == .readOnly
                ? "the database's write-ahead log cannot be read without write access to its directory (\(sqlite)); \(wayOut)"
                : "the database cannot be written: it or its directory is read-only (\(sqlite)); \(wayOut)")
        case .SQLITE_CANTOPEN:
            return .database(path: path, message: "the database file cannot be opened: check that it and its directory exist and can be read\(access == .readOnly ? "" : " and written") (\(sqlite)); \(wayOut)")
        case .SQLITE_PERM, .SQLITE_AUTH: return .database(path: path, message: "permission denied (\(sqlite)); \(wayOut)")
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return .database(path: path, message: "the database is locked by another program; try again (\(sqlite))")
        default: return .database(path: path, message: sqlite)
        }
    }

    /// Runs a read, naming the file in any error.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try pool.read(body) } catch let e as StoreError { throw e } catch { throw ScanStore.wrap(error, path, access: access) }
    }

    /// Runs a write transaction, naming the file in any error. A store opened read-only
    /// refuses before SQLite would (its copy of an older database is in memory).
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        guard access == .readWrite else {
            throw StoreError.database(path: path, message: "the database was opened read-only and cannot be written")
        }
        do { return try pool.write(body) } catch let e as StoreError { throw e } catch { throw ScanStore.wrap(error, path, access: access) }
    }
}
