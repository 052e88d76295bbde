/// Evidence as native checks give it: at most `limit` lines, each cut to 200 characters,
/// then "and N more".
enum EvidenceList {
    static let limit = 5
    static let lineLength = 200

    static func lines(_ items: [String], limit: Int = EvidenceList.limit) -> [String] {
        var out = items.prefix(limit).map { $0.count > lineLength ? String($0.prefix(lineLength - 3)) + "..." : $0 }
        if items.count > limit { out.append("and \(items.count - limit) more") }
        return out
    }
}
