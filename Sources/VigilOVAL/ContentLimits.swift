/// Bounds Vigil puts on content so that hostile or broken content makes the rules that use
/// it `error` (or is refused at load time, naming the file and id) instead of exhausting
/// the stack, memory or time. Real content stays far below each: the SCAP Security Guide's
/// data streams nest at most about 10 levels and their variables hold at most a few
/// thousand values. README.md, "Limits", lists them.
package enum ContentLimits {
    /// The deepest nesting of one structure the loaders accept: XCCDF groups and
    /// complex-checks, OVAL criteria, object sets, variable functions, record fields, CPE
    /// logical tests. Deeper content is refused with an error naming its file, line and id.
    package static let maxNestingDepth = 100

    /// The deepest chain of references (definition → extended definition, object → variable
    /// → object ...), counting the nesting levels inside each, that an OVAL id may start;
    /// ids beyond it evaluate to `error`. Evaluation recurses along such chains; this
    /// bounds the stack it needs far below a worker thread's.
    package static let maxReferenceDepth = 500

    /// The most values one OVAL variable may have. Functions that build cartesian products
    /// (`concat`, `arithmetic`, `time_difference`) check the product's size before building
    /// it; a variable that would exceed this is `error` for the rules that use it. A million
    /// short strings take about 50 to 100 MB.
    package static let maxVariableValues = 1_000_000

    /// The seconds all regular-expression matches of one scan may take together (summed
    /// over threads), on top of PCRE2's step limit for each match (`OVALRegex.Limits`);
    /// see `RegexBudget`. Matching in a whole SCAP Security Guide scan takes a few seconds.
    package static let regexSecondsPerScan: Double = 300
}
