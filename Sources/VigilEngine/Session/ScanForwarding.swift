import VigilStore

extension ScanSession {
    /// Stores the scan in `store`. With a PostgreSQL `--db` (`ScanOptions.forwardTo`),
    /// `store` is the node's journal: the scan is kept there, then sent with every scan
    /// still pending (`Forwarder`); one that cannot be sent stays pending, which a warning
    /// says (the scan is stored: nothing else changes, `vigil sync` sends it later).
    func storeScan(_ record: ScanRecord, in store: ScanStore, events: (ScanEvent) -> Void) throws -> Int64 {
        guard let destination = options.forwardTo else { return try store.save(record) }
        let forwarder = Forwarder(destination: destination)
        let (id, sync) = try forwarder.store(record, in: store)
        if let error = sync.error {
            events(.warning("the scan is stored in the journal \(store.path) but was not sent: \(error); "
                + "\(sync.pending) scan\(sync.pending == 1 ? "" : "s") pending, which `vigil sync` (or the next scan) sends"))
        } else if sync.sent > 0 {
            events(.note("sent \(sync.sent) scan\(sync.sent == 1 ? "" : "s") to \(forwarder.label)"))
        }
        return id
    }
}
