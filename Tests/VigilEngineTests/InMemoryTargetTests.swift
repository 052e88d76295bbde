import Foundation
import VigilContent
import VigilEngine
import VigilOVAL
import VigilProbes
import VigilTarget
import XCTest

/// A kind of target defined outside VigilTarget: a dictionary of regular files (their
/// directories implied), such as a dump of configuration files. It has no running kernel.
struct MemoryTarget: Target {
    let files: [String: (text: String, mode: UInt32)]

    var kind: TargetKind { TargetKind(rawValue: "memory") }
    var reference: String { "memory:test" }
    var label: String { "memory" }
    var capabilities: TargetCapabilities { [] }
    var pathSpelling: TargetPathSpelling { .asGiven }

    private func normalized(_ path: String) -> String {
        "/" + path.split(separator: "/").joined(separator: "/")
    }

    private func isDirectory(_ path: String) -> Bool {
        let prefix = path == "/" ? "/" : path + "/"
        return files.keys.contains { $0.hasPrefix(prefix) }
    }

    func readFile(_ path: String, limit: Int) throws -> [UInt8] {
        let path = normalized(path)
        if isDirectory(path) { throw TargetError(path: path, message: "is a directory", kind: .directory) }
        guard let file = files[path] else { throw TargetError(path: path, message: "no such file", kind: .notFound) }
        guard file.text.utf8.count <= limit else { throw TargetError(path: path, message: "file too large", kind: .tooLarge) }
        return Array(file.text.utf8)
    }

    func withOpenFile<T>(_ path: String, _ body: (TargetFile) throws -> T) throws -> T {
        throw TargetError(path: path, message: "cannot be streamed")
    }

    func statResult(_ path: String, followLinks: Bool) -> Result<FileInfo, TargetFailure> {
        let path = normalized(path)
        if let file = files[path] {
            return .success(info(mode: UInt32(S_IFREG) | file.mode, size: file.text.utf8.count, path: path))
        }
        guard isDirectory(path) else { return .failure(TargetFailure(ENOENT)) }
        return .success(info(mode: UInt32(S_IFDIR) | 0o755, size: 4096, path: path))
    }

    private func info(mode: UInt32, size: Int, path: String) -> FileInfo {
        FileInfo(mode: mode, uid: 0, gid: 0, size: Int64(size), device: 1, inode: UInt64(abs(path.hashValue) % 1_000_000 + 2),
                 accessTime: 0, modifyTime: 0, changeTime: 0)
    }

    func directoryEntries(_ path: String) -> Result<[DirectoryEntry], TargetFailure> {
        let path = normalized(path)
        guard isDirectory(path) else { return .failure(TargetFailure(files[path] == nil ? ENOENT : ENOTDIR)) }
        let prefix = path == "/" ? "/" : path + "/"
        let names = Set(files.keys.filter { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count).split(separator: "/")[0]) })
        return .success(names.sorted().map { DirectoryEntry(name: $0, info: try? statResult(prefix + $0, followLinks: false).get()) })
    }

    func listDirectory(_ path: String) -> [String]? { try? directoryEntries(path).get().map(\.name) }
    func readLink(_ path: String) -> String? { nil }
    func canonicalPath(_ path: String) -> Result<String, TargetFailure> {
        statResult(path, followLinks: true).map { _ in normalized(path) }
    }
    func hasExtendedACL(_ path: String) -> Bool? { false }
    func fileSystemStatistics(_ path: String) -> Result<FileSystemStatistics, TargetFailure> { .failure(TargetFailure(ENOSYS)) }
}

final class InMemoryTargetTests: XCTestCase {
    let files: [String: (text: String, mode: UInt32)] = [
        "/etc/ssh/sshd_config": ("# test\nPort 22\nPermitRootLogin no\n", 0o644),
        "/etc/shadow": ("root:*:19000:0:99999:7:::\n", 0o640),
        "/etc/testos-release": ("1\n", 0o644),
    ]

    /// The test data stream scanned through the real Scanner and ProbeCollector on a
    /// memory target gives, rule by rule, the results of the same files in a root directory.
    func testANewTargetKindIsScannedLikeTheSameFilesOnDisk() throws {
        let (path, root) = try TestDataStream.write()
        let content = try SCAPContent.load(path: path)
        let policy = try Policy(benchmark: content.benchmark, profile: nil, selectAll: false)
        let memory = Scanner(content: content, policy: policy, target: MemoryTarget(files: files), jobs: 2).run()
        let disk = Scanner(content: content, policy: policy, target: try RootTarget(root), jobs: 2).run()
        let byRule = { (r: ScanResult) in r.ruleResults.map { "\($0.ruleID)=\($0.result)" } }
        XCTAssertEqual(byRule(memory), byRule(disk))
        let results = Dictionary(memory.ruleResults.map { ($0.ruleID, $0.result) }, uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(results["xccdf_org.example_rule_root_login"], .pass)
        XCTAssertEqual(results["xccdf_org.example_rule_shadow_mode"], .fail)
        XCTAssertEqual(results["xccdf_org.example_rule_platform_ok"], .pass)
        XCTAssertEqual(memory.target, "memory")
    }

    /// A probe needing a running system gets the offline policy's answer from the collector
    /// on a target without `.runtimeState`, whatever its kind; the probe is not run.
    func testRuntimeObjectsGetThePolicyAnswerCentrally() throws {
        let collector = Scanner.collector(for: MemoryTarget(files: files), content: try SCAPContent.load(path: TestDataStream.write().0))
        for type in ["uname_object", "sysctl_object", "interface_object"] {
            let object = OVALObject(id: "oval:x:obj:1", type: type, family: "unix")
            let r = collector.collect(ResolvedObject(object: object, entities: []))
            XCTAssertEqual(r.flag, .notApplicable, type)
            XCTAssertEqual(r.messages, [OfflinePolicy.message(for: type)])
            XCTAssertTrue(r.items.isEmpty)
        }
        // A file object is read through the target.
        let file = OVALObject(id: "oval:x:obj:2", type: "file_object", family: "unix",
                              entities: [OVALEntity(name: "filepath", value: "/etc/shadow")])
        let found = collector.collect(ResolvedObject(object: file, entities: file.entities.map {
            ResolvedEntity(entity: $0, values: [$0.value])
        }))
        XCTAssertEqual(found.flag, .complete, "\(found.messages)")
        XCTAssertEqual(found.items.first?.value("filepath"), "/etc/shadow")
    }

    /// `Scanner` runs on any collector: here one that answers every object itself (a
    /// `/etc/shadow` without group or other read bits), whatever the files say.
    func testScannerTakesAnyCollector() throws {
        struct StubShadow: ObjectCollector {
            let inner: ProbeCollector
            func collect(_ object: ResolvedObject) -> CollectedObject {
                guard object.object.id == "oval:x:obj:shadow" else { return inner.collect(object) }
                return .found([OVALItem(fields: [OVALItemField("filepath", "/etc/shadow"), OVALItemField("gread", "false"),
                                                 OVALItemField("oread", "false")])])
            }
        }
        let (path, root) = try TestDataStream.write(shadowMode: 0o644)
        let content = try SCAPContent.load(path: path)
        let policy = try Policy(benchmark: content.benchmark, profile: nil, selectAll: false)
        let onDisk = Scanner(content: content, policy: policy, target: try RootTarget(root), jobs: 1).run()
        let collector = StubShadow(inner: Scanner.collector(for: try RootTarget(root), content: content))
        let stubbed = Scanner(content: content, policy: policy, collector: collector, targetLabel: "stub", jobs: 1).run()
        let shadow = { (r: ScanResult) in r.ruleResults.first { $0.ruleID == "xccdf_org.example_rule_shadow_mode" }?.result }
        XCTAssertEqual(shadow(onDisk), .fail)
        XCTAssertEqual(shadow(stubbed), .pass)
        XCTAssertEqual(stubbed.target, "stub")
    }

    /// Host identity of a target of another kind: its /etc/hostname, id from kind and reference.
    func testHostIdentityOfANewKind() {
        var files = self.files
        files["/etc/hostname"] = ("mem-host\n", 0o644)
        let identity = HostIdentity.of(MemoryTarget(files: files))
        XCTAssertEqual(identity.name, "mem-host")
        XCTAssertEqual(identity.id, "memory:memory:test")
    }
}
