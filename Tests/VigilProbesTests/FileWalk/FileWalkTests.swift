import Foundation
import VigilOVAL
import XCTest
@testable import VigilProbes

/// Path resolution of file objects (OpenSCAP's oval_fts.c semantics).
final class FileWalkTests: XCTestCase {
    /// /a/f.conf, /a/b/f.conf, /a/b/c/f.conf, /a/b/c/up -> .. (a cycle), /a/b/xl -> ../../x,
    /// /x/f.conf, /x/fl.conf -> f.conf, /a/other.txt
    private func tree() throws -> FileFixture {
        let fx = try FileFixture()
        try fx.file("/a/f.conf", "k=1\n")
        try fx.file("/a/other.txt", "")
        try fx.file("/a/b/f.conf", "k=2\n")
        try fx.file("/a/b/c/f.conf", "k=3\n")
        try fx.link("/a/b/c/up", to: "..")
        try fx.link("/a/b/xl", to: "../../x")
        try fx.file("/x/f.conf", "k=4\n")
        try fx.link("/x/fl.conf", to: "f.conf")
        return fx
    }

    private func walk(_ fx: FileFixture, _ selection: FileWalkRequest.Selection,
                      _ behaviors: [String: String] = [:]) throws -> [FileWalkEntry] {
        let request = FileWalkRequest(selection: selection, behaviors: try FileWalkBehaviors(attributes: behaviors))
        return FileWalk.entries(request, source: try fx.target(), spelling: .underRoot).entries
    }

    private func paths(_ entries: [FileWalkEntry]) -> Set<String> { Set(entries.map(\.filepath)) }

    func testFilepathEqualsSelectsOneFile() throws {
        let fx = try tree()
        let entries = try walk(fx, .filepath(Obj.walk("filepath", "/a/b/f.conf")))
        XCTAssertEqual(entries, [FileWalkEntry(path: "/a/b", filename: "f.conf", kind: .regular)])
        XCTAssertEqual(try walk(fx, .filepath(Obj.walk("filepath", "/a/b"))), [], "a directory is not a filepath item")
        XCTAssertEqual(try walk(fx, .filepath(Obj.walk("filepath", "/a/missing"))), [])
    }

    func testFilepathThroughALinkKeepsTheLinkName() throws {
        let fx = try tree()
        let entries = try walk(fx, .filepath(Obj.walk("filepath", "/x/fl.conf")))
        XCTAssertEqual(entries, [FileWalkEntry(path: "/x", filename: "fl.conf", kind: .regular)])
    }

    func testPathWithFilenameLooksOnlyInTheDirectoryByDefault() throws {
        let fx = try tree()
        let entries = try walk(fx, .path(Obj.walk("path", "/a"), filename: Obj.walk("filename", "f.conf")))
        XCTAssertEqual(entries, [FileWalkEntry(path: "/a", filename: "f.conf", kind: .regular)])
    }

    func testRecurseDownFollowsLinksAndSkipsCycles() throws {
        let fx = try tree()
        let entries = try walk(fx, .path(Obj.walk("path", "/a"), filename: Obj.walk("filename", "f.conf")),
                               ["recurse_direction": "down"])
        XCTAssertEqual(paths(entries), ["/a/f.conf", "/a/b/f.conf", "/a/b/c/f.conf", "/a/b/xl/f.conf"])
        XCTAssertEqual(entries.count, 4, "each file once, the cycle through c/up not walked")
    }

    func testMaxDepthCountsLevelsBelowThePath() throws {
        let fx = try tree()
        let name = Obj.walk("filename", "f.conf")
        XCTAssertEqual(paths(try walk(fx, .path(Obj.walk("path", "/a"), filename: name),
                                      ["recurse_direction": "down", "max_depth": "0"])), ["/a/f.conf"])
        XCTAssertEqual(paths(try walk(fx, .path(Obj.walk("path", "/a"), filename: name),
                                      ["recurse_direction": "down", "max_depth": "1"])),
                       ["/a/f.conf", "/a/b/f.conf"])
    }

    func testRecurseDirectoriesDoesNotFollowLinks() throws {
        let fx = try tree()
        let anyName = Obj.walk("filename", ".*", .patternMatch)
        let entries = try walk(fx, .path(Obj.walk("path", "/a/b"), filename: anyName),
                               ["recurse_direction": "down", "recurse": "directories"])
        // The links are reported as entries but not entered.
        XCTAssertEqual(paths(entries), ["/a/b/f.conf", "/a/b/xl", "/a/b/c/f.conf", "/a/b/c/up"])
        XCTAssertEqual(entries.first { $0.filename == "xl" }?.kind, .symlink)
    }

    func testRecurseSymlinksOnlyEntersNoPlainDirectory() throws {
        let fx = try tree()
        let name = Obj.walk("filename", "f.conf")
        for recurse in ["symlinks", "files and directories"] {
            let entries = try walk(fx, .path(Obj.walk("path", "/a"), filename: name),
                                   ["recurse_direction": "down", "recurse": recurse])
            XCTAssertEqual(paths(entries), ["/a/f.conf"], recurse)
        }
    }

    func testRecurseUpLooksInEachParent() throws {
        let fx = try tree()
        let name = Obj.walk("filename", "f.conf")
        XCTAssertEqual(paths(try walk(fx, .path(Obj.walk("path", "/a/b/c"), filename: name), ["recurse_direction": "up"])),
                       ["/a/b/c/f.conf", "/a/b/f.conf", "/a/f.conf"])
        XCTAssertEqual(paths(try walk(fx, .path(Obj.walk("path", "/a/b/c"), filename: name),
                                      ["recurse_direction": "up", "max_depth": "1"])),
                       ["/a/b/c/f.conf", "/a/b/f.conf"])
    }

    func testNilFilenameSelectsDirectories() throws {
        let fx = try tree()
        XCTAssertEqual(try walk(fx, .path(Obj.walk("path", "/a"), filename: nil)),
                       [FileWalkEntry(path: "/a", filename: nil, kind: .directory)])
        let down = try walk(fx, .path(Obj.walk("path", "/a"), filename: nil), ["recurse_direction": "down"])
        XCTAssertEqual(Set(down.map(\.path)), ["/a", "/a/b", "/a/b/c", "/a/b/xl"])
        let up = try walk(fx, .path(Obj.walk("path", "/a/b/c"), filename: nil), ["recurse_direction": "up"])
        XCTAssertEqual(up.map(\.path), ["/a/b/c", "/a/b", "/a", "/"])
    }

    func testTrailingSlashSpellingFollowsFts() throws {
        let fx = try tree()
        XCTAssertEqual(try walk(fx, .path(Obj.walk("path", "/a/"), filename: Obj.walk("filename", "f.conf"))),
                       [FileWalkEntry(path: "/a", filename: "f.conf", kind: .regular)])
        XCTAssertEqual(try walk(fx, .path(Obj.walk("path", "/a/"), filename: nil)),
                       [FileWalkEntry(path: "/a/", filename: nil, kind: .directory)])
    }

    func testPatternPathStartsAtItsLiteralPrefix() throws {
        let fx = try tree()
        let entries = try walk(fx, .path(Obj.walk("path", "^/a/b.*", .patternMatch), filename: Obj.walk("filename", "f.conf")))
        XCTAssertEqual(paths(entries), ["/a/b/f.conf", "/a/b/c/f.conf", "/a/b/xl/f.conf"])
    }

    func testPatternFilepathMatchesAnywhereBelowThePrefix() throws {
        let fx = try tree()
        let entries = try walk(fx, .filepath(Obj.walk("filepath", "^/a/.*\\.conf$", .patternMatch)))
        XCTAssertEqual(paths(entries), ["/a/f.conf", "/a/b/f.conf", "/a/b/c/f.conf", "/a/b/xl/f.conf", "/a/b/xl/fl.conf"])
        // A pattern that cannot start with "/" selects nothing, as in OpenSCAP.
        XCTAssertEqual(try walk(fx, .filepath(Obj.walk("filepath", "a/f\\.conf", .patternMatch))), [])
    }

    func testOtherOperationsWalkFromRoot() throws {
        let fx = try tree()
        let entries = try walk(fx, .filepath(Obj.walk("filepath", "/a/f.conf", .notEqual)))
        XCTAssertFalse(paths(entries).contains("/a/f.conf"))
        XCTAssertTrue(paths(entries).isSuperset(of: ["/a/other.txt", "/x/f.conf", "/a/b/c/f.conf"]))
    }

    func testPseudoFileSystemsAreSkippedUnlessNamed() throws {
        let fx = try tree()
        try fx.file("/proc/1/f.conf", "")
        try fx.file("/sys/f.conf", "")
        let name = Obj.walk("filename", "f.conf")
        let all = try walk(fx, .path(Obj.walk("path", "/", .notEqual), filename: name))
        XCTAssertFalse(all.contains { $0.path.hasPrefix("/proc") || $0.path.hasPrefix("/sys") })
        XCTAssertTrue(paths(all).contains("/x/f.conf"))
        let proc = try walk(fx, .path(Obj.walk("path", "^/proc/.*", .patternMatch), filename: name))
        XCTAssertEqual(paths(proc), ["/proc/1/f.conf"])
    }

    func testInvalidBehaviorsAreRejected() {
        XCTAssertThrowsError(try FileWalkBehaviors(attributes: ["recurse_direction": "sideways"]))
        XCTAssertThrowsError(try FileWalkBehaviors(attributes: ["recurse": "everything"]))
        XCTAssertThrowsError(try FileWalkBehaviors(attributes: ["recurse_file_system": "remote"]))
        XCTAssertEqual(try FileWalkBehaviors(attributes: ["max_depth": "3x"]).maxDepth, 3)
        XCTAssertEqual(try FileWalkBehaviors(attributes: ["max_depth": "x"]).maxDepth, 0)
        XCTAssertEqual(try FileWalkBehaviors(attributes: [:]), FileWalkBehaviors(maxDepth: -1, recurse: [.symlinks, .directories],
                                                                                 direction: .none, fileSystem: .all))
    }

    func testDefinedFileSystemStaysOnTheStartDevice() throws {
        let fx = try tree()
        let entries = try walk(fx, .path(Obj.walk("path", "/a"), filename: Obj.walk("filename", "f.conf")),
                               ["recurse_direction": "down", "recurse_file_system": "defined"])
        XCTAssertEqual(paths(entries), ["/a/f.conf", "/a/b/f.conf", "/a/b/c/f.conf", "/a/b/xl/f.conf"])
    }

    func testFixedPathPrefixReproducesOpenSCAP() {
        XCTAssertEqual(FileWalkPattern.fixedPathPrefix("^/etc/ssh/sshd_config\\.d$"), "/etc/ssh")
        XCTAssertEqual(FileWalkPattern.fixedPathPrefix("^/etc/.*"), "/etc")
        XCTAssertEqual(FileWalkPattern.fixedPathPrefix("/usr/lib"), "/usr/lib")
        XCTAssertEqual(FileWalkPattern.fixedPathPrefix("^/(etc|usr)/x"), "/")
        XCTAssertEqual(FileWalkPattern.fixedPathPrefix("^/e.*"), "/")
        XCTAssertEqual(FileWalkPattern.fixedPathPrefix("^.*"), "/")
        XCTAssertEqual(FileWalkPattern.fixedPathPrefix("^/a/b*"), "/a")
        // A backslash before an ordinary character leaves the next special one "escaped".
        XCTAssertEqual(FileWalkPattern.fixedPathPrefix("^/a\\+b/c.d"), "/a+b/c.d")
        // OpenSCAP quirk: "+" is not a regex character for it.
        XCTAssertEqual(FileWalkPattern.fixedPathPrefix("^/a+/b/c.d"), "/a+/b")
    }

    func testPartialMatchDecidesPruning() throws {
        let p = try XCTUnwrap(FileWalkPattern(#"^\/(|s)bin|^\/usr\/(|local\/)(|s)bin|^\/usr\/libexec"#))
        XCTAssertEqual(try p.regex.partialMatch("/usr"), .partial, "entered: /usr/bin may lie below")
        XCTAssertEqual(try p.regex.partialMatch("/usr/lib"), .partial, "could still become /usr/libexec")
        XCTAssertEqual(try p.regex.partialMatch("/usr/sbin"), .full)
        XCTAssertEqual(try p.regex.partialMatch("/var"), .none, "skipped")
        XCTAssertNil(FileWalkPattern("^etc/.*"), "a pattern that cannot match a path starting with / is refused")
    }

    func testItemPathSpelling() {
        func node(_ path: String, _ name: String) -> FileWalkNode {
            FileWalkNode(path: path, name: name, level: 1, kind: .regular, info: nil)
        }
        XCTAssertEqual(FileWalker.itemPath(node("/etc/passwd", "passwd")), "/etc")
        XCTAssertEqual(FileWalker.itemPath(node("/passwd", "passwd")), "/")
        XCTAssertEqual(FileWalker.rootName("/etc/passwd"), "passwd")
        XCTAssertEqual(FileWalker.rootName("/"), "/")
        XCTAssertEqual(FileWalker.rootName("/etc/"), "")
        XCTAssertEqual(FileWalker.dirname("/a/b/"), "/a")
        XCTAssertEqual(FileWalker.dirname("/a"), "/")
    }

    func testMountTableParsing() {
        let mounts = FileWalkMounts.parse("/dev/vda / ext4 rw 0 0\nserver:/x /mnt/my\\040share nfs4 rw 0 0\nproc /proc proc rw 0 0\n")
        XCTAssertEqual(mounts.map(\.directory), ["/", "/mnt/my share", "/proc"])
        XCTAssertEqual(mounts.map { FileWalkMounts.isLocal(type: $0.type) }, [true, false, false])
        XCTAssertFalse(FileWalkMounts.isLocal(type: "fuse.sshfs"))
        XCTAssertTrue(FileWalkMounts.isLocal(type: "tmpfs"))
    }

    func testVariablesExpandToEveryCombination() {
        let object = Obj.object("file_object", [
            Obj.entity("path", values: ["/a", "/b"]),
            Obj.entity("filename", values: ["x", "y", "z"]),
        ])
        let variants = FileWalkVariants.expand(object)
        XCTAssertEqual(variants.count, 6)
        XCTAssertEqual(Set(variants.map { "\($0.value("path") ?? "")|\($0.value("filename") ?? "")" }).count, 6)
        XCTAssertEqual(variants.first?.entity("path")?.entity.values, ["/a", "/b"], "comparisons see every value")
        XCTAssertEqual(FileWalkVariants.expand(Obj.object("file_object", [Obj.entity("path", values: [])])).count, 0)
    }

    func testVariableValuesAreComparedAllTogetherByVarCheck() {
        func entity(_ check: CheckEnumeration) -> FileWalkEntity {
            var e = Obj.entity("filename", values: ["^pass", "^passwd$", "^gro"], .patternMatch)
            e.entity.varCheck = check
            return FileWalkEntity(e)
        }
        XCTAssertEqual(entity(.all).evaluate("passwd"), .false, "OpenSCAP's default var_check is all")
        XCTAssertEqual(entity(.atLeastOne).evaluate("group"), .true)
        XCTAssertEqual(entity(.atLeastOne).evaluate("shadow"), .false)
        XCTAssertEqual(entity(.onlyOne).evaluate("group"), .true)
        XCTAssertEqual(entity(.onlyOne).evaluate("passwd"), .false)
        XCTAssertEqual(entity(.noneSatisfy).evaluate("shadow"), .true)
        XCTAssertEqual(FileWalkEntity(Obj.entity("filename", values: [])).evaluate("x"), .false)
    }


    /// "Any file name" patterns skip the regex for plain names, with the regex's answers.
    func testAnyNamePatternsAnswerAsTheirRegex() throws {
        for pattern in [".*", "^.*", "^.*$"] {
            let entity = Obj.walk("filename", pattern, .patternMatch)
            let regex = try OVALRegex.cached(pattern)
            for name in ["a", "f.conf", "", "a\nb", "a\n", "\n", "çé", "x\r", "tab\there"] {
                XCTAssertEqual(entity.evaluate(name), regex.evaluate(name), "\(pattern) on \(name.debugDescription)")
            }
        }
        XCTAssertEqual(Obj.walk("filename", "^.*$", .patternMatch).evaluate("a\nb"), .false)
    }
}
