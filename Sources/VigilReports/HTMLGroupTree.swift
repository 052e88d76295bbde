/// The benchmark's Groups that hold a report's rules (`RuleRecord.groups`), as the
/// skeleton of the HTML report's tree view, like the tree of `oscap`'s report: one
/// `<section data-g=N>` per Group, with its title, an empty table that the page's script
/// fills with the Group's own rules, and the sections of the Groups inside it. Rules
/// directly under the benchmark go in a table before the first section. The script hides
/// every section left with no rule to show, so the tree never prints an empty heading.
struct HTMLGroupTree {
    private struct Node {
        var title: String
        var children: [Int] = []
    }
    private var nodes: [Node] = []
    private var roots: [Int] = []
    private var byPath: [[String]: Int] = [:]

    /// The tree of the Groups named by `paths` (outermost first), in the order they
    /// first appear.
    init(paths: [[String]]) {
        for path in paths where !path.isEmpty {
            var parent: Int?
            for depth in 1...path.count {
                let prefix = Array(path.prefix(depth))
                if let known = byPath[prefix] {
                    parent = known
                    continue
                }
                let n = nodes.count
                nodes.append(Node(title: prefix[depth - 1]))
                byPath[prefix] = n
                if let parent { nodes[parent].children.append(n) } else { roots.append(n) }
                parent = n
            }
        }
    }

    /// The section number of the Group at `path`; nil for a rule outside every Group.
    func section(of path: [String]) -> Int? { byPath[path] }

    /// The tree view's HTML, hidden until the page shows it; every title is escaped.
    var html: String {
        var out = "<div id=\"tree\" hidden><table class=\"rules\"><tbody data-g=\"\"></tbody></table>"
        var stack: [(node: Int, depth: Int, open: Bool)] = roots.reversed().map { ($0, 1, true) }
        while let (n, depth, open) = stack.popLast() {
            guard open else {
                out += "</section>"
                continue
            }
            let level = min(depth + 1, 6)
            out += "<section class=\"group\" data-g=\"\(n)\"><h\(level)>\(HTMLEscaping.escape(nodes[n].title))</h\(level)>"
            out += "<table class=\"rules\"><tbody data-g=\"\(n)\"></tbody></table>"
            stack.append((n, depth, false))
            stack.append(contentsOf: nodes[n].children.reversed().map { ($0, depth + 1, true) })
        }
        return out + "</div>"
    }
}
