import VigilXML

/// `symlink`: a `unix:symlink_test` whose state compares the link's canonical path. The
/// symlink probe reports no item for a path that is not a link, so with `missing: pass`
/// the check is "the link resolves as required, or nothing is at the path" (a regular
/// file or a directory in place of the link fails).
extension RuleCheckOVAL {
    func symlink(_ c: SymlinkCheck, _ title: String) -> Criteria {
        let obj = oval.object("unix:symlink_object", "<unix:filepath>\(xmlEscape(c.path))</unix:filepath>")
        let field = c.target.map { "<unix:canonical_path operation=\"equals\">\(xmlEscape($0))</unix:canonical_path>" }
            ?? "<unix:canonical_path operation=\"pattern match\">\(xmlEscape(c.targetPattern ?? ""))</unix:canonical_path>"
        let ste = oval.state("unix:symlink_state", field)
        let link = Criteria.test(oval.test("unix:symlink_test", comment: title, object: obj, states: [ste]))
        guard c.missingPasses else { return link }
        let nothing = oval.test("unix:file_test", comment: "nothing is at \(c.path)", object: fileObject(FileSelection(path: c.path, namePattern: nil)),
                                existence: "none_exist")
        return .or([link, .test(nothing)])
    }
}
