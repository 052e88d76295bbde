import Foundation
import VigilOVAL
import XCTest
@testable import VigilProbes

/// A directory tree built for one test under the system's temporary directory, used as
/// an offline root (`RootTarget`). Removed when the test ends.
final class FileFixture {
    let root: String

    init() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-fs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        // Resolve /tmp links so host paths compare equal to what the target reports.
        root = base.resolvingSymlinksInPath().path
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    /// The host path of `path` inside the fixture.
    func host(_ path: String) -> String { root + (path.hasPrefix("/") ? path : "/" + path) }

    /// Creates a directory (and its parents).
    func dir(_ path: String) throws {
        try FileManager.default.createDirectory(atPath: host(path), withIntermediateDirectories: true)
    }

    /// Writes a file (creating its directory) with `text`, or raw `bytes`.
    func file(_ path: String, _ text: String = "", bytes: [UInt8]? = nil, mode: Int? = nil) throws {
        try dir((path as NSString).deletingLastPathComponent)
        let data = bytes.map { Data($0) } ?? Data(text.utf8)
        guard FileManager.default.createFile(atPath: host(path), contents: data) else {
            throw FixtureError("cannot create \(path)")
        }
        if let mode { try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: host(path)) }
    }

    /// Creates a symbolic link at `path` whose stored target is `destination` (as given).
    func link(_ path: String, to destination: String) throws {
        try dir((path as NSString).deletingLastPathComponent)
        guard symlink(destination, host(path)) == 0 else { throw FixtureError("cannot link \(path)") }
    }

    /// A target rooted at the fixture.
    func target() throws -> RootTarget { try RootTarget(root) }

    /// A probe context on the fixture.
    func context() throws -> ProbeContext { ProbeContext(target: try target()) }
}

struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Builders for resolved objects in tests.
enum Obj {
    /// An entity with one value (or `xsi:nil`).
    static func entity(_ name: String, _ value: String, _ operation: OVALOperation = .equals,
                       datatype: OVALDatatype = .string, isNil: Bool = false) -> ResolvedEntity {
        ResolvedEntity(entity: OVALEntity(name: name, value: value, datatype: datatype, operation: operation, isNil: isNil),
                       values: isNil ? [] : [value])
    }

    /// An entity with the values of a variable.
    static func entity(_ name: String, values: [String], _ operation: OVALOperation = .equals,
                       datatype: OVALDatatype = .string, varCheck: CheckEnumeration = .all) -> ResolvedEntity {
        ResolvedEntity(entity: OVALEntity(name: name, datatype: datatype, operation: operation, varRef: "oval:t:var:1",
                                          varCheck: varCheck),
                       values: values)
    }

    /// An entity with one value as a file walk takes it.
    static func walk(_ name: String, _ value: String, _ operation: OVALOperation = .equals) -> FileWalkEntity {
        FileWalkEntity(entity(name, value, operation))
    }

    /// A nil filename.
    static var nilFilename: ResolvedEntity { entity("filename", "", isNil: true) }

    static func object(_ type: String, _ entities: [ResolvedEntity], behaviors: [String: String] = [:],
                       family: String = "unix") -> ResolvedObject {
        ResolvedObject(object: OVALObject(id: "oval:t:obj:1", type: type, family: family, behaviors: behaviors),
                       entities: entities)
    }
}

extension CollectedObject {
    /// The values of one field over all items, in order.
    func values(_ field: String) -> [String] { items.compactMap { $0.value(field) } }
}

/// Checks the fixture helpers themselves, so a broken fixture fails loudly.
final class FileFixtureTests: XCTestCase {
    func testFixtureBuildsFilesAndLinksUnderItsRoot() throws {
        let fx = try FileFixture()
        try fx.file("/etc/a.conf", "x")
        try fx.link("/etc/l", to: "a.conf")
        XCTAssertEqual(try String(contentsOfFile: fx.host("/etc/a.conf"), encoding: .utf8), "x")
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: fx.host("/etc/l")), "a.conf")
        XCTAssertTrue(fx.root.hasPrefix("/"))
    }
}
