import VigilStore

extension ScanSession {
    /// The drift of a scan just stored against the scan before it of the same host,
    /// benchmark and profile (`ScanStore.previous(of:)`, compared as `vigil drift` compares);
    /// nil when the scan was not stored, is the first of its series, or the store cannot
    /// be read back (the scan itself is stored all the same).
    static func driftSincePrevious(in store: ScanStore?, of scan: StoredScan, storedID: Int64?) -> DriftReport? {
        guard let store, storedID != nil, let previous = try? store.previous(of: scan) else { return nil }
        return try? store.drift(from: String(previous.id), to: String(scan.id))
    }
}
