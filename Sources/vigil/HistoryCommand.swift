import ArgumentParser
import Foundation
import VigilCore
import VigilStore

/// `vigil history`: one line per stored scan, newest first.
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
        if scans.isEmpty { print("No stored scans in \(TerminalText.visible(store.resolvedPath))."); return }
        let widths = [6, 19, 20, 24, 5, 5, 5, 7]
        var out = row(["ID", "TIME", "HOST", "PROFILE", "PASS", "FAIL", "ERROR", "SCORE"], widths) + "\n"
        for s in scans {
            out += row([String(s.id), shortDate(s.startedAt), TerminalText.visible(s.hostName), TerminalText.visible(s.profileLabel), String(s.count(.pass)),
                        String(s.count(.fail)), String(s.count(.error)), s.scoreText], widths) + "\n"
        }
        FileHandle.standardOutput.write(Data(out.utf8))
    }
}
