import Foundation

/// A Go release version as the runtime records it: `go1.22.5`, `go1.21rc2`, `go1.20`,
/// `go1.16.5b7` (Go+BoringCrypto's release suffix), with the runtime's trailing words
/// (` X:boringcrypto`, ` (Red Hat 1.20.12-1.el9)`) kept apart. Development builds
/// (`devel go1.23-abc ...`) have no comparable number.
public struct GoVersion: Sendable, Equatable, Comparable, CustomStringConvertible {
    /// Major, minor, patch (missing parts 0).
    public var numbers: [Int]
    /// True for a beta or release candidate, which sorts before the release.
    public var prerelease: Bool
    /// The `bN` suffix of a Go+BoringCrypto release (`go1.16.5b7`), or nil.
    public var boringRevision: Int?
    /// The first word as written (`go1.22.5`).
    public var text: String

    /// Parses the first word of a runtime version or a rule's `1.22.5` / `go1.22.5`; nil for
    /// development builds and anything else.
    public init?(_ raw: String) {
        let word = raw.split(separator: " ").first.map(String.init) ?? ""
        text = word
        var s = Substring(word)
        if s.hasPrefix("go") { s = s.dropFirst(2) }
        var numbers: [Int] = []
        var prerelease = false
        var boring: Int?
        for (i, part) in s.split(separator: ".", omittingEmptySubsequences: false).enumerated() {
            let digits = part.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, digits.count <= 9, let n = Int(digits), i < 3 else { return nil }
            numbers.append(n)
            let suffix = part.dropFirst(digits.count)
            if suffix.isEmpty { continue }
            guard i == numbers.count - 1, i == s.split(separator: ".").count - 1 else { return nil }
            if suffix.hasPrefix("rc") || suffix.hasPrefix("beta") {
                guard Int(suffix.drop { $0.isLetter }) != nil else { return nil }
                prerelease = true
            } else if suffix.hasPrefix("b"), let r = Int(suffix.dropFirst()) {
                boring = r
            } else {
                return nil
            }
        }
        guard numbers.first == 1, numbers.count >= 2 else { return nil }
        while numbers.count < 3 { numbers.append(0) }
        self.numbers = numbers
        self.prerelease = prerelease
        boringRevision = boring
    }

    public static func < (a: GoVersion, b: GoVersion) -> Bool {
        if a.numbers != b.numbers { return a.numbers.lexicographicallyPrecedes(b.numbers) }
        return a.prerelease && !b.prerelease
    }

    public var description: String { text }

    /// The `X:` experiments a runtime version lists (`go1.19.8 X:boringcrypto,foo`).
    public static func experiments(inRuntimeVersion raw: String) -> [String] {
        raw.split(separator: " ").filter { $0.hasPrefix("X:") }
            .flatMap { $0.dropFirst(2).split(separator: ",").map(String.init) }
    }
}
