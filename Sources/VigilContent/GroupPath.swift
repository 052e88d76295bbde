extension XCCDFBenchmark {
    /// The titles of the Groups that hold rule `id`, outermost first (a Group with no
    /// title is named by its id); empty for an unknown rule or one directly under the
    /// benchmark. Stops at a cycle or at the nesting limit rather than looping.
    public func groupTitles(ofRule id: String) -> [String] {
        var titles: [String] = []
        var next = rules[id]?.parent
        var seen: Set<String> = []
        while let groupID = next, let group = groups[groupID], seen.insert(groupID).inserted {
            titles.append(group.title.isEmpty ? group.id : group.title)
            next = group.parent
        }
        return titles.reversed()
    }
}
