import Foundation
import VigilContent
import VigilOVAL
import VigilProbes
import VigilXML
import XCTest

/// Runs one OVAL definitions file through `oscap oval eval` and through Vigil's evaluator
/// (with the real probes, on this host), for differential tests on small fixtures.
enum OscapOVAL {
    /// A complete OVAL definitions document around the inside of its sections.
    static func document(definitions: String, tests: String, objects: String, states: String = "",
                         variables: String = "") -> String {
        """
        <?xml version="1.0"?>
        <oval_definitions xmlns="http://oval.mitre.org/XMLSchema/oval-definitions-5"
          xmlns:oval="http://oval.mitre.org/XMLSchema/oval-common-5"
          xmlns:ind="http://oval.mitre.org/XMLSchema/oval-definitions-5#independent">
        <generator><oval:schema_version>5.11.2</oval:schema_version><oval:timestamp>2024-01-01T00:00:00</oval:timestamp></generator>
        <definitions>\(definitions)</definitions><tests>\(tests)</tests><objects>\(objects)</objects>
        \(states.isEmpty ? "" : "<states>\(states)</states>")\(variables.isEmpty ? "" : "<variables>\(variables)</variables>")
        </oval_definitions>
        """
    }

    /// The path of `oscap`, or a skip when it is not installed.
    static func oscap() throws -> String {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let p = "\(dir)/oscap"
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        throw XCTSkip("oscap is not installed (apt-get install openscap-scanner)")
    }

    /// oscap's result for every definition of the file, by id.
    static func oscapResults(_ path: String) throws -> [String: String] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try oscap())
        let results = path + ".results.xml"
        p.arguments = ["oval", "eval", "--results", results, path]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        var found: [String: String] = [:]
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") where line.hasPrefix("Definition ") {
            // "Definition oval:x:def:1: true"
            let rest = line.dropFirst("Definition ".count)
            guard let sep = rest.range(of: ": ", options: .backwards) else { continue }
            found[String(rest[..<sep.lowerBound])] = String(rest[sep.upperBound...])
        }
        return found
    }

    /// Vigil's result for every definition of the file, by id.
    static func vigilResults(_ path: String) throws -> [String: String] {
        let xml = try XMLDocument.parse(file: path)
        let doc = try OVALLoader.load(xml.root!)
        let ev = OVALEvaluator(document: doc, collector: ProbeCollector(target: Targets.host))
        var found: [String: String] = [:]
        for id in doc.definitions.keys { found[id] = ev.evaluate(definition: id).rawValue }
        return found
    }

    /// Writes `xml` to `dir/name` and returns (definition id, oscap, vigil) for every
    /// definition where the two disagree, with the definition's title.
    static func disagreements(_ xml: String, in dir: URL, name: String = "defs.xml") throws -> [String] {
        let path = dir.appendingPathComponent(name).path
        try xml.write(toFile: path, atomically: true, encoding: .utf8)
        let reference = try oscapResults(path)
        let ours = try vigilResults(path)
        XCTAssertFalse(reference.isEmpty, "oscap evaluated no definition of \(path)")
        let doc = try OVALLoader.load(try XMLDocument.parse(file: path).root!)
        return reference.keys.sorted().compactMap { id in
            guard ours[id] != reference[id] else { return nil }
            return "\(doc.definitions[id]?.title ?? id): oscap \(reference[id]!), vigil \(ours[id] ?? "none")"
        }
    }

    /// A fresh temporary directory.
    static func tempDir() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-oval-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
