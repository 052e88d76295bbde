/// Finds reference cycles in OVAL content (definitions extending themselves,
/// variables and objects that refer to each other), which hostile or broken content
/// may hold. Ids on a cycle evaluate to `error` instead of recursing forever.
enum ReferenceCheck {
    /// Node keys: "d:" definition, "o:" object, "s:" state, "v:" variable.
    static func cyclicNodes(_ doc: OVALDocument) -> Set<String> {
        var edges: [String: [String]] = [:]
        func entityRefs(_ e: OVALEntity) -> [String] {
            var out = e.varRef.map { ["v:" + $0] } ?? []
            for f in e.fields { out += entityRefs(f) }
            return out
        }
        func criteriaRefs(_ c: OVALCriteria) -> [String] {
            c.children.flatMap { node -> [String] in
                switch node {
                case .criteria(let sub): return criteriaRefs(sub)
                case .extendDefinition(let ref, _, _): return ["d:" + ref]
                case .criterion: return []
                }
            }
        }
        func setRefs(_ s: OVALSet) -> [String] {
            s.objectRefs.map { "o:" + $0 } + s.filters.map { "s:" + $0.stateRef } + s.subsets.flatMap(setRefs)
        }
        func componentRefs(_ c: VariableComponent) -> [String] {
            switch c {
            case .literal: return []
            case .object(let ref, _, _): return ["o:" + ref]
            case .variable(let ref): return ["v:" + ref]
            case .function(_, _, let args): return args.flatMap(componentRefs)
            }
        }
        for (id, d) in doc.definitions { edges["d:" + id] = d.criteria.map(criteriaRefs) ?? [] }
        for (id, o) in doc.objects {
            edges["o:" + id] = o.entities.flatMap(entityRefs) + o.filters.map { "s:" + $0.stateRef } + (o.set.map(setRefs) ?? [])
        }
        for (id, s) in doc.states { edges["s:" + id] = s.entities.flatMap(entityRefs) }
        for (id, v) in doc.variables {
            if case .local(let c) = v.kind { edges["v:" + id] = componentRefs(c) } else { edges["v:" + id] = [] }
        }
        // Iterative depth-first search with colours; every node on a back edge's cycle is marked.
        var colour: [String: Int] = [:]   // 1 on stack, 2 done
        var cyclic = Set<String>()
        for start in edges.keys.sorted() where colour[start] == nil {
            var stack: [(String, Int)] = [(start, 0)]
            var path: [String] = [start]
            colour[start] = 1
            while let (node, i) = stack.last {
                let next = edges[node] ?? []
                if i < next.count {
                    stack[stack.count - 1].1 += 1
                    let n = next[i]
                    switch colour[n] {
                    case nil:
                        colour[n] = 1
                        stack.append((n, 0))
                        path.append(n)
                    case 1:
                        if let at = path.lastIndex(of: n) { cyclic.formUnion(path[at...]) }
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
        return cyclic
    }
}
