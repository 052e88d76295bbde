/// `recursive: true` in OVAL: the file behaviors that make a `path` + `filename` object
/// select matching files at any depth below the path, and the filter that leaves symbolic
/// links out.
extension RuleCheckOVAL {
    /// `entities` (path and filename of a `unix:file_object`; only the `file` kind recurses)
    /// made recursive. `recurse_direction="down"` without a depth limit; `recurse="directories"`
    /// enters real directories only, never a symbolic link to one, so that neither Vigil nor
    /// oscap (whose `OSCAP_PROBE_ROOT` walk follows an absolute or `../..` link out of the
    /// root) leaves the scanned tree. `recurse_file_system="all"`: "local" would make oscap
    /// judge devices by the scanning host's mount table, which says nothing about an offline
    /// root. Symbolic links are excluded, as the SCAP Security Guide's file permission checks
    /// exclude them: both tools describe a link by `lstat` (mode 777), which says nothing of
    /// the file it names; a link's target inside the tree is selected on its own.
    func recursive(_ entities: String, prefix: String) -> String {
        precondition(prefix == "unix", "only unix:file_object recurses")
        let link = oval.state("unix:file_state", "<unix:type>symbolic link</unix:type>")
        return "<unix:behaviors recurse=\"directories\" recurse_direction=\"down\" max_depth=\"-1\" recurse_file_system=\"all\"/>"
            + entities + "<filter action=\"exclude\">\(link)</filter>"
    }
}
