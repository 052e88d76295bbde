import VigilTarget

/// Reads the certificate files a selection names, each file once per scan (the scan's
/// `NativeCache`, shared by every rule reading the same bundle), files in parallel.
enum CertificateStore {
    /// The most bytes read from one file (a bundle of 10,000 certificates is about 15 MB).
    static let readLimit = 64 << 20

    /// The files' certificates, and the selection's own problems.
    static func load(_ selection: CryptoFileSelection, _ context: NativeContext) -> (files: [(selected: CryptoFileSelection.Selected, content: CertificateFile)], problems: [String]) {
        let (selected, problems) = selection.files(in: context.target)
        let target = context.target
        let cache = context.cache
        let contents = ParallelMap.map(selected.count) { i in
            let path = selected[i].path
            return cache.value("x509:file:" + path) { () -> CertificateFile in
                do {
                    return CertificateReader.read(try target.readFile(path, limit: readLimit), path: PathBytes.display(path))
                } catch {
                    return CertificateFile(path: path, certificates: [], problems: ["\(error)"], hadContent: true)
                }
            }
        }
        return (Array(zip(selected, contents)), problems)
    }
}
