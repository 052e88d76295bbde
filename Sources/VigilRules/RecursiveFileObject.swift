/// `recursive: true` in OVAL: the file behaviors that make a `path` + `filename` object
/// select matching files at any depth below the path.
extension RuleCheckOVAL {
    /// `entities` (path and filename of a `unix:file_object`, or of an
    /// `ind:textfilecontent54_object`, whose behaviors are the same) made recursive. `recurse_direction="down"` without a depth limit; `recurse="directories"`
    /// enters real directories only, never a symbolic link to one, so that neither Vigil nor
    /// oscap (whose `OSCAP_PROBE_ROOT` walk follows an absolute or `../..` link out of the
    /// root) leaves the scanned tree. A link whose own name matches is selected and judged as
    /// the link (`lstat`: mode 777, its own owner), as both tools describe it: a mode check
    /// fails on it rather than pass without seeing the file it names. `recurse_file_system="all"`:
    /// "local" would make oscap judge devices by the scanning host's mount table, which says
    /// nothing about an offline root.
    func recursive(_ entities: String, prefix: String) -> String {
        "<\(prefix):behaviors recurse=\"directories\" recurse_direction=\"down\" max_depth=\"-1\" recurse_file_system=\"all\"/>"
            + entities
    }
}
