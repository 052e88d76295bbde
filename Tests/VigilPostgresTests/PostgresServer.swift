import Foundation
import XCTest
@testable import VigilStore

/// A throw-away PostgreSQL 15 cluster for the tests of one class: initdb and postgres on a
/// free loopback port, in a temporary directory owned by the `postgres` system user (run
/// through runuser when the tests run as root: PostgreSQL refuses root), with TLS on (a CA
/// and a server certificate for 127.0.0.1 made with the openssl command) and a pg_hba that
/// accepts only TLS connections over TCP. `stop()`/`start()` take it down and up again;
/// `remove()` stops it and deletes everything.
final class PostgresServer: @unchecked Sendable {
    static let binaries = "/usr/lib/postgresql/15/bin"
    let dir: String
    let port: Int
    var data: String { dir + "/data" }
    /// The CA that signed the server's certificate, and one that did not.
    var caFile: String { dir + "/tls/ca.crt" }
    var wrongCAFile: String { dir + "/tls/wrong-ca.crt" }
    static let superPassword = "super-Secret-1"

    /// Whether the server binaries are installed (CI installs them; elsewhere tests skip).
    static var available: Bool { FileManager.default.isExecutableFile(atPath: binaries + "/initdb") }

    init() throws {
        dir = NSTemporaryDirectory() + "vigil-pg-" + UUID().uuidString
        port = try PostgresServer.freePort()
        try FileManager.default.createDirectory(atPath: dir + "/tls", withIntermediateDirectories: true)
        try makeCertificates()
        try "\(PostgresServer.superPassword)\n".write(toFile: dir + "/pw", atomically: true, encoding: .utf8)
        if geteuid() == 0 { try PostgresServer.run("/bin/chown", ["-R", "postgres:postgres", dir]) }
        chmod(dir, 0o755)
        try asPostgres(PostgresServer.binaries + "/initdb", ["-D", data, "-U", "postgres", "--pwfile", dir + "/pw",
                                                             "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--no-sync"])
        let conf = """
            listen_addresses = '127.0.0.1'
            port = \(port)
            unix_socket_directories = '\(dir)'
            ssl = on
            ssl_cert_file = '\(dir)/tls/server.crt'
            ssl_key_file = '\(dir)/tls/server.key'
            max_connections = 120
            fsync = off
            """
        try append(conf, to: data + "/postgresql.conf")
        // Over TCP, TLS only: a plain connection finds no pg_hba entry.
        try "local all all trust\nhostssl all all 127.0.0.1/32 scram-sha-256\n".write(toFile: data + "/pg_hba.conf", atomically: true, encoding: .utf8)
        if geteuid() == 0 { try PostgresServer.run("/bin/chown", ["postgres:postgres", data + "/pg_hba.conf"]) }
        try start()
    }

    /// Starts the server and waits until it accepts connections.
    func start() throws {
        try asPostgres(PostgresServer.binaries + "/pg_ctl", ["-D", data, "-l", dir + "/server.log", "-w", "-t", "60", "start"])
    }

    /// Stops the server (fast shutdown).
    func stop() throws {
        try asPostgres(PostgresServer.binaries + "/pg_ctl", ["-D", data, "-m", "fast", "-w", "stop"])
    }

    /// Stops the server if it runs and deletes its directory.
    func remove() {
        _ = try? stop()
        try? FileManager.default.removeItem(atPath: dir)
    }

    /// A URI for `user` on `database` over TLS, checking the server's certificate with `ca`.
    func uri(user: String = "postgres", password: String = PostgresServer.superPassword, database: String = "postgres",
             sslmode: String = "verify-full", ca: String? = nil) -> String {
        "postgresql://\(user):\(password)@127.0.0.1:\(port)/\(database)?sslmode=\(sslmode)&sslrootcert=\(ca ?? caFile)&connect_timeout=5"
    }

    /// Runs SQL as the superuser on `database`.
    @discardableResult
    func superSQL(_ sql: String, database: String = "postgres") throws -> PGRows {
        try PGConnection(uri: uri(database: database)).execute(sql)
    }

    /// A new database owned by a new role `owner` (password "owner-pw"), for one test.
    func makeDatabase(_ name: String) throws -> (database: String, owner: String) {
        let owner = name + "_owner"
        try superSQL("CREATE ROLE \(owner) LOGIN PASSWORD 'owner-pw'")
        try superSQL("CREATE DATABASE \(name) OWNER \(owner)")
        return (name, owner)
    }

    // MARK: Helpers

    private func makeCertificates() throws {
        let tls = dir + "/tls"
        func ssl(_ args: [String]) throws { try PostgresServer.run("/usr/bin/openssl", args) }
        for ca in ["ca", "wrong-ca"] {
            try ssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=Vigil test \(ca)",
                     "-keyout", "\(tls)/\(ca).key", "-out", "\(tls)/\(ca).crt"])
        }
        try ssl(["req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", "\(tls)/server.key", "-out", "\(tls)/server.csr"])
        try "subjectAltName=IP:127.0.0.1,DNS:localhost\n".write(toFile: "\(tls)/san.ext", atomically: true, encoding: .utf8)
        try ssl(["x509", "-req", "-in", "\(tls)/server.csr", "-CA", "\(tls)/ca.crt", "-CAkey", "\(tls)/ca.key", "-CAcreateserial",
                 "-days", "2", "-extfile", "\(tls)/san.ext", "-out", "\(tls)/server.crt"])
        chmod("\(tls)/server.key", 0o600)
    }

    private func append(_ text: String, to path: String) throws {
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data(("\n" + text + "\n").utf8))
        handle.closeFile()
    }

    /// Runs a server binary as the postgres user (through runuser when root).
    private func asPostgres(_ tool: String, _ args: [String]) throws {
        if geteuid() == 0 {
            try PostgresServer.run("/usr/sbin/runuser", ["-u", "postgres", "--", tool] + args)
        } else {
            try PostgresServer.run(tool, args)
        }
    }

    /// Runs a program (posix_spawn and waitpid: Foundation's Process waits for descriptors
    /// that the server pg_ctl starts keeps open); a failure throws with its output.
    @discardableResult
    static func run(_ tool: String, _ args: [String]) throws -> String {
        let outPath = NSTemporaryDirectory() + "vigil-pg-out-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: outPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Run from /tmp (env -C): the postgres user may not enter the current directory.
        let argv = (["/usr/bin/env", "-C", "/tmp", tool] + args).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/usr/bin/env", &actions, nil, argv, environ)
        guard spawned == 0 else { throw NSError(domain: "PostgresServer", code: Int(spawned), userInfo: [NSLocalizedDescriptionKey: "cannot run \(tool)"]) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let text = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        guard status == 0 else {
            throw NSError(domain: "PostgresServer", code: Int(status),
                          userInfo: [NSLocalizedDescriptionKey: "\(tool) \(args.joined(separator: " ")): \(text)"])
        }
        return text
    }

    /// A TCP port on 127.0.0.1 that nothing listens on now.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) == 0 && getsockname(fd, $0, &len) == 0 }
        }
        guard bound else { throw NSError(domain: "PostgresServer", code: 1, userInfo: [NSLocalizedDescriptionKey: "no free port"]) }
        return Int(UInt16(bigEndian: addr.sin_port))
    }
}

/// A test class with one server for all its tests: started in `setUp` of the class, removed
/// in its `tearDown`. Each test makes its own database (`database(_:)`).
class PostgresTestCase: XCTestCase {
    nonisolated(unsafe) static var server: PostgresServer?
    nonisolated(unsafe) static var counter = 0

    override class func setUp() {
        super.setUp()
        guard PostgresServer.available else { return }
        do { server = try PostgresServer() } catch { print("cannot start PostgreSQL: \(error)") }
    }

    override class func tearDown() {
        server?.remove()
        server = nil
        super.tearDown()
    }

    /// The class's server; skips the test when PostgreSQL is not installed (fails in CI).
    func requireServer() throws -> PostgresServer {
        if let server = Self.server { return server }
        if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail("PostgreSQL 15 is not installed or did not start") }
        throw XCTSkip("PostgreSQL 15 server binaries are not installed")
    }

    /// A fresh database for this test, owned by its own role; returns the owner's URI.
    func database(_ prefix: String = "t") throws -> (server: PostgresServer, owner: String, name: String) {
        let server = try requireServer()
        Self.counter += 1
        let name = "\(prefix)\(Self.counter)_\(getpid())"
        let made = try server.makeDatabase(name)
        return (server, server.uri(user: made.owner, password: "owner-pw", database: name), name)
    }
}
