import ArgumentParser
import Foundation
import VigilCore
import VigilReports
import VigilStore

/// `vigil history`: one line per stored scan, newest first. A scan of an image is named by
/// the image's name and its manifest digest, short (`app sha256:0123456789ab`).
struct History: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List stored scans, newest first.")

    @OptionGroup var store: StoreOptions

    @Option(help: "Only scans of this host (name or id).")
    var host: String?

    @Option(help: "Only scans with this profile (id or short name).")
    var profile: String?

    @Option(help: "At most this many scans (0: all).")
    var limit: Int = 20

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    func run() throws {
        let scans: [StoredScan]
        do {
            scans = try store.open().history(host: host, profile: profile, limit: limit > 0 ? limit : nil)
        } catch StoreError.missing {
            // Nothing stored yet is an empty history, not an error; nothing is created.
            scans = []
        }
        if format == .json { try printJSON(scans); return }
        if scans.isEmpty { print("No stored scans in \(TerminalText.visible(store.label))."); return }
        let names = scans.map(History.systemName)
        // Host names keep their column; images' names and digests widen it to fit (to 64).
        let anyImage = scans.contains { $0.system?.image != nil }
        let hostWidth = anyImage ? min(64, max(20, names.map(\.count).max() ?? 0)) : 20
        let widths = [6, 19, hostWidth, 24, 5, 5, 5, 7]
        var out = row(["ID", "TIME", anyImage ? "HOST / IMAGE" : "HOST", "PROFILE", "PASS", "FAIL", "ERROR", "SCORE"], widths) + "\n"
        for (s, name) in zip(scans, names) {
            out += row([String(s.id), shortDate(s.startedAt), name, TerminalText.visible(s.profileLabel), String(s.count(.pass)),
                        String(s.count(.fail)), String(s.count(.error)), s.scoreText], widths) + "\n"
        }
        FileHandle.standardOutput.write(Data(out.utf8))
    }
}

extension History {
    /// The HOST cell of a scan: the host's name, or the image's name and short manifest
    /// digest, as the terminal shows them.
    static func systemName(_ scan: StoredScan) -> String {
        guard let image = scan.system?.image else { return TerminalText.visible(scan.hostName) }
        let digest = image.manifestDigest.map { " " + ImageFacts.shortDigest($0) } ?? ""
        return TerminalText.visible(image.name + digest)
    }
}
