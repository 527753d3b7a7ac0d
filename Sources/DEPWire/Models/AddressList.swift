/// The MAC addresses of one interface kind (`wifi_mac_address` and friends, dep-api §3.10).
///
/// Apple documents a string; some clients model an array. Decoding accepts both. Encoding
/// writes Apple's string form for one address and an array only when there are several, so a
/// value read from either form writes back the same.
public struct AddressList: Codable, Hashable, Sendable, ExpressibleByStringLiteral, ExpressibleByArrayLiteral {
    /// The addresses, colon-separated upper-case hex each.
    public var addresses: [String]

    public init(_ addresses: [String]) { self.addresses = addresses }
    public init(stringLiteral value: String) { self.addresses = [value] }
    public init(arrayLiteral elements: String...) { self.addresses = elements }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let single = try? container.decode(String.self) {
            addresses = [single]
        } else {
            addresses = try container.decode([String].self)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if addresses.count == 1 {
            try container.encode(addresses[0])
        } else {
            try container.encode(addresses)
        }
    }
}
