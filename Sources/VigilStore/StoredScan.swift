import Foundation
import VigilCore

/// A scan as the store lists it: its number, its metadata, score and result counts. The
/// metadata's fields read as the scan's own (`scan.hostName`) and are written flat in JSON.
@dynamicMemberLookup
public struct StoredScan: Sendable, Equatable, Codable {
    /// The scan's number in the store; 0 for a scan that was not stored.
    public var id: Int64
    public var metadata: ScanMetadata
    /// How many rules had each result (only results that occurred).
    public var counts: [XCCDFResult: Int]

    public init(id: Int64, metadata: ScanMetadata, counts: [XCCDFResult: Int]) {
        self.id = id
        self.metadata = metadata
        self.counts = counts
    }

    public subscript<T>(dynamicMember field: WritableKeyPath<ScanMetadata, T>) -> T {
        get { metadata[keyPath: field] }
        set { metadata[keyPath: field] = newValue }
    }

    /// The count of one result.
    public func count(_ result: XCCDFResult) -> Int { counts[result] ?? 0 }

    enum CodingKeys: String, CodingKey { case id, counts }

    /// The id, the metadata's fields and the counts, side by side in one object.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(counts, forKey: .counts)
        try metadata.encode(to: encoder)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(id: try c.decode(Int64.self, forKey: .id), metadata: try ScanMetadata(from: decoder),
                  counts: try c.decode([XCCDFResult: Int].self, forKey: .counts))
    }
}

extension StoredScan {
    /// A scan that was not stored (`--no-store`), as reports see it: number 0.
    public init(unstored record: ScanRecord) {
        self.init(id: 0, metadata: record.metadata, counts: record.counts)
    }
}
