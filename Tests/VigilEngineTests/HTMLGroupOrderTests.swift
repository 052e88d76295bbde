import Foundation
import VigilEngine
import XCTest

/// The HTML report of a scan of a rule folder shows its folders as Groups, titled by their
/// `group.yaml`, in the order of their section numbers.
final class HTMLGroupOrderTests: XCTestCase {
    func testTheHTMLTreeShowsGroupTitlesInSectionOrder() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-html-groups-\(UUID().uuidString)")
        let rules = dir.appendingPathComponent("rules"), root = dir.appendingPathComponent("root")
        func write(_ path: String, _ text: String, under base: URL) throws {
            let url = base.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        try write("benchmark.yaml", "id: groups\ntitle: Groups\nversion: '1'\n", under: rules)
        // Written in an order that is neither alphabetical nor numeric.
        let sections = [("2-etcd", "2 etcd"), ("1.10-later", "1.10 Later Section"), ("1.2-api-server", "1.2 API Server"),
                         ("4.2-kubelet", nil), ("1.1-files", "1.1 Control Plane Files")]
        for (n, (folder, title)) in sections.enumerated() {
            try write("\(folder)/rule\(n).yaml", """
                id: rule\(n)
                title: Rule \(n) of \(folder)
                severity: low
                description: A file exists.
                check:
                  file:
                    path: /etc/rule\(n)
                """, under: rules)
            if let title { try write("\(folder)/group.yaml", "title: \(title)\n", under: rules) }
        }
        try write("etc/rule0", "", under: root)
        var options = ScanOptions(vigilVersion: "test")
        options.content = rules.path
        options.root = root.path
        options.jobs = 1
        options.reports = ["html:\(dir.path)/report.html"]
        _ = try ScanSession(options).run()
        let html = try String(contentsOfFile: dir.path + "/report.html", encoding: .utf8)
        let tree = try XCTUnwrap(html.range(of: "<div id=\"tree\"").map { String(html[$0.lowerBound...]) })
        let headings = tree.matches(of: #/<section class="group" data-g="\d+"><h\d>([^<]*)</h\d>/#).map { String($0.1) }
        XCTAssertEqual(headings, ["1.1 Control Plane Files", "1.2 API Server", "1.10 Later Section", "2 etcd", "4.2-kubelet"])
    }
}
