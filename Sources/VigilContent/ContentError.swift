/// A problem with SCAP content: names the file, line and id where they are known.
public struct ContentError: Error, CustomStringConvertible, Sendable {
    public let location: String
    public let message: String

    public init(_ location: String, _ message: String) {
        self.location = location
        self.message = message
    }

    public var description: String { location.isEmpty ? message : "\(location): \(message)" }
}
