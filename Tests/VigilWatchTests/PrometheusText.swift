import Foundation

/// One sample of the Prometheus text exposition, parsed back: the metric name, its labels
/// (unescaped) and its value.
struct PrometheusSample: Equatable {
    var name: String
    var labels: [String: String]
    var value: Double

    /// Every sample of `text`; a line that does not parse is a thrown error.
    static func parse(_ text: String) throws -> [PrometheusSample] {
        try text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { try sample(Array(String($0).unicodeScalars)) }
    }

    static func sample(_ line: [Unicode.Scalar]) throws -> PrometheusSample {
        struct Bad: Error { let line: String }
        let bad = Bad(line: String(String.UnicodeScalarView(line)))
        var i = 0
        var name = ""
        while i < line.count, line[i] != "{", line[i] != " " { name.unicodeScalars.append(line[i]); i += 1 }
        var labels: [String: String] = [:]
        if i < line.count, line[i] == "{" {
            i += 1
            while i < line.count, line[i] != "}" {
                var key = ""
                while i < line.count, line[i] != "=" { key.unicodeScalars.append(line[i]); i += 1 }
                guard i + 1 < line.count, line[i + 1] == "\"" else { throw bad }
                i += 2
                var value = ""
                while i < line.count, line[i] != "\"" {
                    if line[i] == "\\" {
                        i += 1
                        guard i < line.count else { throw bad }
                        switch line[i] {
                        case "n": value += "\n"
                        case "\\": value += "\\"
                        case "\"": value += "\""
                        default: throw bad
                        }
                    } else {
                        value.unicodeScalars.append(line[i])
                    }
                    i += 1
                }
                i += 1
                labels[key] = value
                if i < line.count, line[i] == "," { i += 1 }
            }
            i += 1
        }
        let rest = String(String.UnicodeScalarView(line[i...])).trimmingCharacters(in: .whitespaces)
        guard let value = Double(rest) else { throw bad }
        return PrometheusSample(name: name, labels: labels, value: value)
    }
}

extension Array where Element == PrometheusSample {
    /// The samples named `name` whose labels include `labels`.
    func named(_ name: String, _ labels: [String: String] = [:]) -> [PrometheusSample] {
        filter { s in s.name == name && labels.allSatisfy { s.labels[$0.key] == $0.value } }
    }
}
