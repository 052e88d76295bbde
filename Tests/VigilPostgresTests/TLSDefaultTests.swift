import XCTest
@testable import VigilStore

/// A connection to another machine checks the server's certificate unless told otherwise;
/// local ones keep libpq's default.
final class TLSDefaultTests: XCTestCase {
    func testRemoteHostsGetVerifyFullUnlessAModeIsSet() {
        let none: [String: String] = [:]
        XCTAssertEqual(TLSDefault.applied(to: "postgresql://node@db.example/fleet", environment: none),
                       "postgresql://node@db.example/fleet?sslmode=verify-full")
        XCTAssertEqual(TLSDefault.applied(to: "postgresql://node@10.1.2.3:5433/fleet?connect_timeout=10", environment: none),
                       "postgresql://node@10.1.2.3:5433/fleet?connect_timeout=10&sslmode=verify-full")
        XCTAssertEqual(TLSDefault.applied(to: "postgresql:///fleet?host=db.example", environment: none),
                       "postgresql:///fleet?host=db.example&sslmode=verify-full", "a host given as a parameter")
        XCTAssertEqual(TLSDefault.applied(to: "postgresql://localhost,db.example/fleet", environment: none),
                       "postgresql://localhost,db.example/fleet?sslmode=verify-full", "one remote host of several")
        XCTAssertEqual(TLSDefault.applied(to: "postgresql:///fleet", environment: ["PGHOST": "db.example"]),
                       "postgresql:///fleet?sslmode=verify-full", "the host from PGHOST")
        // Told otherwise: the URI's mode, or PGSSLMODE.
        for uri in ["postgresql://db.example/fleet?sslmode=disable", "postgresql://db.example/fleet?sslmode=require"] {
            XCTAssertEqual(TLSDefault.applied(to: uri, environment: none), uri)
        }
        XCTAssertEqual(TLSDefault.applied(to: "postgresql://db.example/fleet", environment: ["PGSSLMODE": "prefer"]),
                       "postgresql://db.example/fleet")
        // Nothing crosses a network: libpq's default stays.
        for uri in ["postgresql:///fleet", "postgresql://localhost/fleet", "postgresql://127.0.0.1:5432/fleet",
                    "postgresql://[::1]/fleet", "postgresql:///fleet?host=/var/run/postgresql", "postgresql://%2Ftmp/fleet"] {
            XCTAssertEqual(TLSDefault.applied(to: uri, environment: none), uri, uri)
        }
        // What libpq cannot parse is left for libpq's own error.
        XCTAssertEqual(TLSDefault.applied(to: "postgresql://db.example/fleet?nosuch=1", environment: none),
                       "postgresql://db.example/fleet?nosuch=1")
    }
}
