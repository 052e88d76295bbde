/// The key ID in an rpm package's OpenPGP signature (RFC 4880 packets), as rpm's `pgpsig`
/// query format prints it after "Key ID".
extension RPMPackageRecord {
    /// The issuer key ID (16 lowercase hex digits) of an OpenPGP signature packet; nil
    /// when the packet is not a signature rpm can read.
    static func issuerKeyID(_ packet: [UInt8]) -> String? {
        guard let body = OpenPGPPacket.signatureBody(packet) else { return nil }
        switch body.first {
        case 3:
            guard body.count >= 15 else { return nil }
            return OpenPGPPacket.hex(body[7..<15])
        case 4:
            guard body.count >= 6 else { return nil }
            return OpenPGPPacket.v4IssuerKeyID(body)
        default:
            return nil
        }
    }
}

/// Reads the parts of OpenPGP packets that an rpm signature's key ID needs.
enum OpenPGPPacket {
    /// The body of `packet` when it is a signature packet (tag 2), in the new or the old
    /// header format; nil when it is another packet or is cut short.
    static func signatureBody(_ packet: [UInt8]) -> [UInt8]? {
        guard let first = packet.first, first & 0x80 != 0 else { return nil }
        var pos = 1
        let tag: Int
        var length: Int
        if first & 0x40 != 0 {
            tag = Int(first & 0x3f)
            guard pos < packet.count else { return nil }
            let l0 = Int(packet[pos])
            if l0 < 192 {
                length = l0; pos += 1
            } else if l0 < 224 {
                guard pos + 1 < packet.count else { return nil }
                length = ((l0 - 192) << 8) + Int(packet[pos + 1]) + 192; pos += 2
            } else if l0 == 255 {
                guard pos + 4 < packet.count else { return nil }
                length = Int(be32(packet, pos + 1)); pos += 5
            } else {
                return nil
            }
        } else {
            tag = Int((first >> 2) & 0x0f)
            switch first & 3 {
            case 0: guard pos < packet.count else { return nil }; length = Int(packet[pos]); pos += 1
            case 1: guard pos + 1 < packet.count else { return nil }; length = Int(packet[pos]) << 8 | Int(packet[pos + 1]); pos += 2
            case 2: guard pos + 3 < packet.count else { return nil }; length = Int(be32(packet, pos)); pos += 4
            default: length = packet.count - pos
            }
        }
        guard tag == 2, length > 0, pos + length <= packet.count else { return nil }
        return Array(packet[pos..<(pos + length)])
    }

    /// The issuer key ID of a version 4 signature body: the first issuer subpacket (type
    /// 16) of its hashed, then unhashed, area; sixteen zeros when it has none; nil when an
    /// area is cut short.
    static func v4IssuerKeyID(_ body: [UInt8]) -> String? {
        var p = 4
        var keyID: String?
        for _ in 0..<2 {
            guard p + 2 <= body.count else { return nil }
            let n = Int(body[p]) << 8 | Int(body[p + 1])
            p += 2
            guard p + n <= body.count else { return nil }
            guard issuer(inSubpackets: body, p..<(p + n), into: &keyID) else { return nil }
            p += n
        }
        return keyID ?? String(repeating: "0", count: 16)
    }

    /// Reads the subpackets in `area` of `body`, setting `keyID` from the first issuer
    /// subpacket unless it is set; false when a subpacket overruns the area.
    private static func issuer(inSubpackets body: [UInt8], _ area: Range<Int>, into keyID: inout String?) -> Bool {
        var q = area.lowerBound
        let end = area.upperBound
        while q < end {
            var len = Int(body[q])
            if len < 192 {
                q += 1
            } else if len < 255 {
                guard q + 1 < end else { return false }
                len = ((len - 192) << 8) + Int(body[q + 1]) + 192; q += 2
            } else {
                guard q + 4 < end else { return false }
                len = Int(be32(body, q + 1)); q += 5
            }
            guard len >= 1, q + len <= end else { return false }
            if body[q] & 0x7f == 16, len == 9, keyID == nil {
                keyID = hex(body[(q + 1)..<(q + 9)])
            }
            q += len
        }
        return true
    }

    /// Lowercase hex, two digits a byte.
    static func hex(_ bytes: ArraySlice<UInt8>) -> String {
        bytes.map { b in
            let s = String(b, radix: 16)
            return s.count == 1 ? "0" + s : s
        }.joined()
    }
}
