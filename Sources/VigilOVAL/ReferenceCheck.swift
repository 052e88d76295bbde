/// Finds the parts of OVAL content that evaluation must refuse before it starts, which
/// hostile or broken content may hold: reference cycles (a definition extending itself, a
/// variable reading an object whose filter or entity reads that variable, a
/// `variable_object` naming a variable computed from that object) and reference chains
/// nested deeper than `ContentLimits.maxReferenceDepth`. Both would recurse without bound
/// (or wait on themselves); refused ids evaluate to `error` with the reason.
///
/// Every way one node can reach another while it is evaluated is an edge: a definition's
/// `extend_definition`; an object's entities and record fields with `var_ref`, its filters'
/// states, its set's objects, filters and subsets, and for `variable_object` the variables
/// its `var_ref` entity names (by value, by pattern, or through a variable's values); a
/// state's entities with `var_ref`; a local variable's object and variable components.
enum ReferenceCheck {
    /// A reference from one node to another, `depth` levels of nesting inside the first
    /// (a criterion inside two `<criteria>` is at depth 2).
    struct Edge {
        let target: String
        let depth: Int
    }

    /// Node keys ("d:" definition, "o:" object, "s:" state, "v:" variable + id) that must not
    /// be evaluated, with the reason.
    static func refusedNodes(_ doc: OVALDocument) -> [String: String] {
        let edges = graph(doc)
        var refused: [String: String] = [:]
        for (node, cycle) in cycles(edges) {
            refused[node] = "\(describe(node)) refers to itself: " + cycle.map(describe).joined(separator: " → ")
        }
        for (node, height) in heights(edges, skipping: refused) where height > ContentLimits.maxReferenceDepth {
            refused[node] = "\(describe(node)) nests references \(height) levels deep, more than the limit of "
                + "\(ContentLimits.maxReferenceDepth)"
        }
        return refused
    }

    /// "definition oval:x:def:1" for the node key "d:oval:x:def:1".
    static func describe(_ node: String) -> String {
        let id = String(node.dropFirst(2))
        switch node.prefix(2) {
        case "d:": return "definition \(id)"
        case "o:": return "object \(id)"
        case "s:": return "state \(id)"
        case "v:": return "variable \(id)"
        default: return node
        }
    }

    // MARK: The graph

    static func graph(_ doc: OVALDocument) -> [String: [Edge]] {
        var edges: [String: [Edge]] = [:]
        func entityRefs(_ e: OVALEntity, _ depth: Int) -> [Edge] {
            var out = e.varRef.map { [Edge(target: "v:" + $0, depth: depth)] } ?? []
            for f in e.fields { out += entityRefs(f, depth + 1) }
            return out
        }
        func criteriaRefs(_ c: OVALCriteria, _ depth: Int) -> [Edge] {
            c.children.flatMap { node -> [Edge] in
                switch node {
                case .criteria(let sub): return criteriaRefs(sub, depth + 1)
                case .extendDefinition(let ref, _, _): return [Edge(target: "d:" + ref, depth: depth)]
                case .criterion: return []
                }
            }
        }
        func setRefs(_ s: OVALSet, _ depth: Int) -> [Edge] {
            s.objectRefs.map { Edge(target: "o:" + $0, depth: depth) }
                + s.filters.map { Edge(target: "s:" + $0.stateRef, depth: depth) }
                + s.subsets.flatMap { setRefs($0, depth + 1) }
        }
        func componentRefs(_ c: VariableComponent, _ depth: Int) -> [Edge] {
            switch c {
            case .literal: return []
            case .object(let ref, _, _): return [Edge(target: "o:" + ref, depth: depth)]
            case .variable(let ref): return [Edge(target: "v:" + ref, depth: depth)]
            case .function(_, _, let args): return args.flatMap { componentRefs($0, depth + 1) }
            }
        }
        for (id, d) in doc.definitions { edges["d:" + id] = d.criteria.map { criteriaRefs($0, 1) } ?? [] }
        for (id, o) in doc.objects {
            var out = o.entities.flatMap { entityRefs($0, 1) } + o.filters.map { Edge(target: "s:" + $0.stateRef, depth: 1) }
            if let set = o.set { out += setRefs(set, 1) }
            if o.type == "variable_object" {
                out += variablesNamed(by: o, doc).map { Edge(target: "v:" + $0, depth: 1) }
            }
            edges["o:" + id] = out
        }
        for (id, s) in doc.states { edges["s:" + id] = s.entities.flatMap { entityRefs($0, 1) } }
        for (id, v) in doc.variables {
            if case .local(let c) = v.kind { edges["v:" + id] = componentRefs(c, 1) } else { edges["v:" + id] = [] }
        }
        return edges
    }

    /// The variables a `variable_object` may read: the one its `var_ref` entity names, the
    /// ones its pattern (or other operation) selects, or, when the names come from another
    /// variable, the names among that variable's constant values (every variable when they
    /// are computed, since they are only known at run time).
    static func variablesNamed(by object: OVALObject, _ doc: OVALDocument) -> [String] {
        guard let e = object.entity("var_ref") else { return [] }
        if let ref = e.varRef {
            guard case .constant(let names) = doc.variables[ref]?.kind else { return doc.variables.keys.sorted() }
            let want = ResolvedEntity(entity: e, values: names)
            return doc.variables.keys.sorted().filter { want.matches($0) }
        }
        if e.operation == .equals { return [e.value] }
        let want = ResolvedEntity(entity: e, values: [e.value])
        return doc.variables.keys.sorted().filter { want.matches($0) }
    }

    // MARK: Cycles

    /// Every node on a cycle, with one cycle through it (starting and ending at the node).
    static func cycles(_ edges: [String: [Edge]]) -> [String: [String]] {
        // Iterative depth-first search with colours; every node on a back edge's cycle is marked.
        var colour: [String: Int] = [:]   // 1 on stack, 2 done
        var found: [String: [String]] = [:]
        for start in edges.keys.sorted() where colour[start] == nil {
            var stack: [(String, Int)] = [(start, 0)]
            var path: [String] = [start]
            colour[start] = 1
            while let (node, i) = stack.last {
                let next = edges[node] ?? []
                if i < next.count {
                    stack[stack.count - 1].1 += 1
                    let n = next[i].target
                    switch colour[n] {
                    case nil where edges[n] != nil:
                        colour[n] = 1
                        stack.append((n, 0))
                        path.append(n)
                    case 1:
                        if let at = path.lastIndex(of: n) {
                            let cycle = Array(path[at...])
                            for (k, member) in cycle.enumerated() where found[member] == nil {
                                found[member] = Array(cycle[k...] + cycle[..<k]) + [member]
                            }
                        }
                    default:
                        break
                    }
                } else {
                    colour[node] = 2
                    stack.removeLast()
                    path.removeLast()
                }
            }
        }
        return found
    }

    // MARK: Depth

    /// For every node not skipped, the deepest nesting its evaluation reaches: the largest
    /// sum of edge depths along a chain of references starting at it (nodes that reach a
    /// skipped node count that edge only). Computed iteratively, in post-order.
    static func heights(_ edges: [String: [Edge]], skipping skipped: [String: String]) -> [String: Int] {
        var height: [String: Int] = [:]
        for start in edges.keys.sorted() where height[start] == nil && skipped[start] == nil {
            var stack: [(String, Int)] = [(start, 0)]
            var onStack: Set<String> = [start]
            while let (node, i) = stack.last {
                let next = edges[node] ?? []
                if i < next.count {
                    stack[stack.count - 1].1 += 1
                    let n = next[i].target
                    if height[n] == nil, skipped[n] == nil, edges[n] != nil, !onStack.contains(n) {
                        stack.append((n, 0))
                        onStack.insert(n)
                    }
                } else {
                    height[node] = next.map { $0.depth + (height[$0.target] ?? 0) }.max() ?? 0
                    stack.removeLast()
                    onStack.remove(node)
                }
            }
        }
        return height
    }
}
