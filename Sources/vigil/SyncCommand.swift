import ArgumentParser
import Foundation
import VigilStore

/// `vigil sync`: send the scans a node's journal still holds to the central database.
struct Sync: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Send the scans not yet sent to the PostgreSQL database, oldest first, each exactly once.",
        discussion: "A scan with a postgresql:// --db is stored in the local journal first; when the database is down it stays pending there until `vigil sync` (or the next scan) sends it.")

    @OptionGroup var store: StoreOptions
    @OptionGroup var journal: JournalOptions

    func run() throws {
        let (path, destination) = store.scanTarget(journal: journal.journal)
        guard let destination else {
            throw CommandError("`vigil sync` sends scans to PostgreSQL: give --db postgresql://ROLE@HOST/DB (or VIGIL_DB)")
        }
        let forwarder = Forwarder(destination: destination)
        let outcome = forwarder.sync(try ScanStore(path: path, access: .readWrite))
        let label = TerminalText.visible(forwarder.label)
        print("Sent \(outcome.sent) scan\(outcome.sent == 1 ? "" : "s") to \(label); \(outcome.pending) pending.")
        if let error = outcome.error { throw CommandError("not every scan was sent: \(TerminalText.visible(error))") }
    }
}
