import Foundation
import VigilOVAL
import XCTest
@testable import VigilProbes

final class TextFileContentTests: XCTestCase {
    private func tfc54(_ fx: FileFixture, file: String, pattern: String, instance: String = "1",
                       _ operation: OVALOperation = .greaterThanOrEqual, behaviors: [String: String] = [:]) throws -> CollectedObject {
        let object = Obj.object("textfilecontent54_object", [
            Obj.entity("filepath", file),
            Obj.entity("pattern", pattern, .patternMatch),
            Obj.entity("instance", instance, operation, datatype: .int),
        ], behaviors: behaviors, family: "independent")
        return TextFileContent54Probe().collect(object, context: try fx.context())
    }

    func testEveryMatchIsAnInstanceWithItsGroups() throws {
        let fx = try FileFixture()
        try fx.file("/etc/login.defs", "PASS_MAX_DAYS 90\n# PASS_MAX_DAYS 7\nPASS_MIN_DAYS 1\n")
        let result = try tfc54(fx, file: "/etc/login.defs", pattern: "^PASS_(MAX|MIN)_DAYS\\s+(\\d+)$")
        XCTAssertEqual(result.flag, .complete)
        XCTAssertEqual(result.values("instance"), ["1", "2"])
        XCTAssertEqual(result.values("text"), ["PASS_MAX_DAYS 90", "PASS_MIN_DAYS 1"])
        XCTAssertEqual(result.items.first?.fields(named: "subexpression").map(\.value), ["MAX", "90"])
        let item = try XCTUnwrap(result.items.first)
        XCTAssertEqual(item.fields.map(\.name),
                       ["filepath", "path", "filename", "pattern", "instance", "line", "text", "subexpression", "subexpression"])
        XCTAssertEqual(item.value("path"), "/etc")
        XCTAssertEqual(item.value("filename"), "login.defs")
        XCTAssertEqual(item.value("pattern"), "^PASS_(MAX|MIN)_DAYS\\s+(\\d+)$")
    }

    func testInstanceEntityFiltersTheNumberedMatches() throws {
        let fx = try FileFixture()
        try fx.file("/f", "a=1\na=2\na=3\n")
        let second = try tfc54(fx, file: "/f", pattern: "a=(\\d)", instance: "2", .equals)
        XCTAssertEqual(second.values("subexpression"), ["2"])
        XCTAssertEqual(second.values("instance"), ["2"])
        let late = try tfc54(fx, file: "/f", pattern: "a=(\\d)", instance: "2", .greaterThanOrEqual)
        XCTAssertEqual(late.values("instance"), ["2", "3"])
        XCTAssertEqual(try tfc54(fx, file: "/f", pattern: "a=(\\d)", instance: "4", .equals).flag, .doesNotExist)
    }

    func testEmptyMatchesAreCountedAsOpenSCAPCountsThem() throws {
        let fx = try FileFixture()
        // OpenSCAP 1.3.7 reports instances 1 "alpha=1", 2 "", 3 "", 4 "alpha=3" here: the
        // empty line is found once from the end of line 2 and again from its own start.
        try fx.file("/c", "alpha=1\nbeta=2\n\nalpha=3\n")
        let result = try tfc54(fx, file: "/c", pattern: "^alpha=(\\d)$|^$")
        XCTAssertEqual(result.values("text"), ["alpha=1", "", "", "alpha=3"])
        XCTAssertEqual(result.values("instance"), ["1", "2", "3", "4"])
        XCTAssertEqual(result.items[1].fields(named: "subexpression"), [], "an unset group is left out")
    }

    func testBehaviorsChangeHowThePatternMatches() throws {
        let fx = try FileFixture()
        try fx.file("/m", "one\ntwo\nONE\n")
        XCTAssertEqual(try tfc54(fx, file: "/m", pattern: "^one$").values("text"), ["one"])
        XCTAssertEqual(try tfc54(fx, file: "/m", pattern: "^one$", behaviors: ["ignore_case": "true"]).values("text"), ["one", "ONE"])
        XCTAssertEqual(try tfc54(fx, file: "/m", pattern: "^one$", behaviors: ["multiline": "false"]).flag, .doesNotExist)
        XCTAssertEqual(try tfc54(fx, file: "/m", pattern: "one.two").flag, .doesNotExist)
        XCTAssertEqual(try tfc54(fx, file: "/m", pattern: "one.two", behaviors: ["singleline": "1"]).values("text"), ["one\ntwo"])
    }

    func testInvalidUTF8FlagsAnErrorAndNulEndsTheText() throws {
        let fx = try FileFixture()
        try fx.file("/latin1", bytes: Array("caf".utf8) + [0xE9] + Array("\nalpha=9\n".utf8))
        try fx.file("/nul", bytes: Array("alpha=5".utf8) + [0] + Array("alpha=6\n".utf8))
        let bad = try tfc54(fx, file: "/latin1", pattern: "^alpha=(\\d)$")
        XCTAssertEqual(bad.flag, .error)
        XCTAssertTrue(bad.items.isEmpty)
        XCTAssertTrue(bad.messages.contains { $0.contains("/latin1") })
        XCTAssertEqual(try tfc54(fx, file: "/nul", pattern: "^alpha=(\\d)$").values("text"), ["alpha=5"])
    }

    func testInvalidPatternIsAnError() throws {
        let fx = try FileFixture()
        try fx.file("/f", "x")
        let result = try tfc54(fx, file: "/f", pattern: "(unclosed")
        XCTAssertEqual(result.flag, .error)
        XCTAssertFalse(result.messages.isEmpty)
    }

    func testFilesAreFoundThroughPathAndFilename() throws {
        let fx = try FileFixture()
        try fx.file("/etc/ssh/sshd_config", "PermitRootLogin no\n")
        try fx.file("/etc/ssh/sshd_config.d/50-x.conf", "PermitRootLogin yes\n")
        try fx.link("/etc/ssh/sshd_config.d/60-link.conf", to: "50-x.conf")
        try fx.dir("/etc/ssh/sshd_config.d/70-dir.conf")
        let object = Obj.object("textfilecontent54_object", [
            Obj.entity("path", "/etc/ssh/sshd_config.d"),
            Obj.entity("filename", ".*\\.conf$", .patternMatch),
            Obj.entity("pattern", "^PermitRootLogin\\s+(\\S+)", .patternMatch),
            Obj.entity("instance", "1", .greaterThanOrEqual, datatype: .int),
        ], family: "independent")
        let result = TextFileContent54Probe().collect(object, context: try fx.context())
        XCTAssertEqual(Set(result.values("filepath")),
                       ["/etc/ssh/sshd_config.d/50-x.conf", "/etc/ssh/sshd_config.d/60-link.conf"])
        XCTAssertEqual(result.values("subexpression"), ["yes", "yes"])
    }

    func testSeveralPatternsFromAVariable() throws {
        let fx = try FileFixture()
        try fx.file("/f", "a=1\nb=2\n")
        let object = Obj.object("textfilecontent54_object", [
            Obj.entity("filepath", "/f"),
            Obj.entity("pattern", values: ["^a=(\\d)", "^b=(\\d)"], .patternMatch),
            Obj.entity("instance", "1", datatype: .int),
        ], family: "independent")
        let result = TextFileContent54Probe().collect(object, context: try fx.context())
        XCTAssertEqual(result.values("pattern"), ["^a=(\\d)", "^b=(\\d)"])
        XCTAssertEqual(result.values("subexpression"), ["1", "2"])
    }

    // MARK: textfilecontent_object (line based)

    private func tfc(_ fx: FileFixture, _ line: String) throws -> CollectedObject {
        let object = Obj.object("textfilecontent_object", [
            Obj.entity("path", "/etc"), Obj.entity("filename", "conf.txt"), Obj.entity("line", line, .patternMatch),
        ], family: "independent")
        return TextFileContentProbe().collect(object, context: try fx.context())
    }

    func testLineProbeKeepsTheMatchOffsetForLaterLines() throws {
        let fx = try FileFixture()
        // OpenSCAP finds only "a=1": after it, later lines are searched from column 7.
        try fx.file("/etc/conf.txt", "alpha=1\nbeta=2\n\nalpha=3\n")
        let result = try tfc(fx, "a=(\\d)")
        XCTAssertEqual(result.values("text"), ["a=1"])
        XCTAssertEqual(result.values("instance"), ["1"])
        XCTAssertEqual(result.values("line"), ["a=(\\d)"])
    }

    func testLineProbeMatchesEachLineOnceFromItsStartUntilAMatch() throws {
        let fx = try FileFixture()
        try fx.file("/etc/conf.txt", "x\nyy\nkey=1 key=2\n")
        let result = try tfc(fx, "key=(\\d)")
        XCTAssertEqual(result.values("text"), ["key=1"])
        XCTAssertEqual(try tfc(fx, "(unclosed").flag, .doesNotExist, "an invalid pattern collects nothing")
    }

    func testLineSplittingFollowsFgets() {
        let long = [UInt8](repeating: UInt8(ascii: "x"), count: 5000) + [UInt8(ascii: "\n")] + Array("y\n".utf8)
        XCTAssertEqual(TextFileContentProbe.lines(long).map(\.count), [4095, 906, 2])
    }
}
