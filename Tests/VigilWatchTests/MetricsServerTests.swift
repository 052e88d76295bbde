import Foundation
import XCTest
@testable import VigilWatch

/// The `--metrics-listen` server over real loopback connections.
final class MetricsServerTests: XCTestCase {
    final class Health: @unchecked Sendable {
        let lock = NSLock()
        var problem: String?
        func get() -> String? { lock.withLock { problem } }
        func set(_ p: String?) { lock.withLock { problem = p } }
    }

    func testEndpointsStatusesAndLimits() throws {
        let health = Health()
        let server = try MetricsServer(address: ListenAddress("127.0.0.1:0"), endpoints: .init(
            metrics: { Array("vigil_score{host=\"a\"} 97.5\n".utf8) }, health: { health.get() }))
        defer { server.stop() }
        XCTAssertGreaterThan(server.port, 0, "port 0: the system chose one")
        let metrics = try RawHTTP.get("/metrics", port: server.port)
        XCTAssertEqual(metrics.status, 200)
        XCTAssertEqual(metrics.headers["content-type"], "text/plain; version=0.0.4; charset=utf-8")
        XCTAssertEqual(metrics.body, "vigil_score{host=\"a\"} 97.5\n")
        XCTAssertEqual(try RawHTTP.get("/healthz", port: server.port).status, 200)
        XCTAssertEqual(try RawHTTP.get("/healthz", port: server.port).body, "ok\n")
        health.set("the last scan failed: database is locked")
        let sick = try RawHTTP.get("/healthz", port: server.port)
        XCTAssertEqual(sick.status, 503)
        XCTAssertTrue(sick.body.contains("database is locked"))
        XCTAssertEqual(try RawHTTP.get("/", port: server.port).status, 404)
        XCTAssertEqual(try RawHTTP.get("/metrics/extra", port: server.port).status, 404)
        let post = try RawHTTP.send("POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nab", port: server.port)
        XCTAssertEqual(post.status, 405)
        XCTAssertEqual(post.headers["allow"], "GET, HEAD")
        XCTAssertEqual(try RawHTTP.get("/" + String(repeating: "a", count: 5000), port: server.port).status, 414)
        let big = String(repeating: "b", count: 10_000)
        XCTAssertEqual(try RawHTTP.send("POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: \(big.count)\r\n\r\n\(big)",
                                        port: server.port).status, 413)
    }

    func testIPv6LoopbackAndAddressParsing() throws {
        XCTAssertEqual(try ListenAddress("127.0.0.1:9818"), try ListenAddress("127.0.0.1:9818"))
        XCTAssertEqual(try ListenAddress("[::1]:9818").host, "::1")
        XCTAssertEqual(try ListenAddress(":9818").host, "0.0.0.0")
        XCTAssertEqual(try ListenAddress(":9818").port, 9818)
        for bad in ["9818", "::1:9818", "127.0.0.1:", "127.0.0.1:70000", "[::1:9818", "host:port"] {
            XCTAssertThrowsError(try ListenAddress(bad), bad)
        }
        guard let server = try? MetricsServer(address: ListenAddress("[::1]:0"), endpoints: .init(metrics: { [] }, health: { nil })) else {
            throw XCTSkip("no IPv6 loopback on this machine")
        }
        defer { server.stop() }
        XCTAssertEqual(try RawHTTP.get("/healthz", port: server.port, host: "::1").status, 200)
    }
}
