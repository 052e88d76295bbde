import VigilOVAL

/// A probe whose objects select files by `filepath`, or by `path` and `filename` with
/// file behaviors (file, textfilecontent54, textfilecontent, filehash58, xmlfilecontent,
/// yamlfilecontent). They share one skeleton, `collectWalks`: expand the object into its
/// runs (`FileWalkVariants`), prepare each run (its walk request and what the probe
/// needs besides), walk, collect from each entry, and fold the walk's report into the
/// object's flag, messages and item budget. A probe writes only `prepare` and `visit`.
protocol FileWalkingProbe: Probe {
    /// What one run needs besides its walk request (a compiled pattern, hash types, ...).
    associatedtype Run

    /// The walk request and state of one run, or nil to skip the run. Build the request
    /// with `collection.request`, which records why a request cannot be made; a probe
    /// may also add items or failures here (e.g. for a run that reads no file).
    func prepare(_ variant: FileObjectVariant, context: ProbeContext,
                 collection: inout FileProbeCollection) -> (request: FileWalkRequest, run: Run)?

    /// Collects what one walked entry gives into `collection`.
    func visit(_ entry: FileWalkEntry, run: Run, context: ProbeContext, into collection: inout FileProbeCollection)
}

extension FileWalkingProbe {
    /// The collected object: every run of `object` walked, its entries visited, items
    /// kept within the context's item budget.
    func collectWalks(_ object: ResolvedObject, context: ProbeContext) -> CollectedObject {
        var collection = FileProbeCollection(budget: context.itemBudget)
        let source = FileWalk.source(for: context)
        for variant in FileWalkVariants.expand(object) {
            guard let prepared = prepare(variant, context: context, collection: &collection) else { continue }
            let report = FileWalk.walk(prepared.request, source: source, spelling: context.target.pathSpelling) { entry in
                visit(entry, run: prepared.run, context: context, into: &collection)
            }
            collection.absorb(report)
        }
        return collection.result
    }
}
