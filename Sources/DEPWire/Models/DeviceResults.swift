/// A JSON object keyed by serial number (`"devices": {"SN1": …, "SN2": …}`), kept in the order
/// the serials were added so responses list devices in request order, run after run. (Decoding
/// keeps the order `JSONDecoder` reports the keys in, which is not the document's.)
public struct DeviceResults<Value: Codable & Hashable & Sendable>: Codable, Hashable, Sendable, Sequence {
    /// The entries, in order; a serial appears at most once.
    public private(set) var entries: [(serial: String, value: Value)] = []
    private var indexBySerial: [String: Int] = [:]

    public init() {}

    public init(_ pairs: some Sequence<(String, Value)>) {
        for (serial, value) in pairs { self[serial] = value }
    }

    /// The value for `serial`; setting replaces it in place or appends a new entry.
    public subscript(serial: String) -> Value? {
        get { indexBySerial[serial].map { entries[$0].value } }
        set {
            if let index = indexBySerial[serial] {
                if let newValue { entries[index].value = newValue } else { remove(at: index) }
            } else if let newValue {
                indexBySerial[serial] = entries.count
                entries.append((serial, newValue))
            }
        }
    }

    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }
    public var serials: [String] { entries.map(\.serial) }

    public func makeIterator() -> some IteratorProtocol<(serial: String, value: Value)> { entries.makeIterator() }

    private mutating func remove(at index: Int) {
        entries.remove(at: index)
        indexBySerial = Dictionary(uniqueKeysWithValues: entries.enumerated().map { ($1.serial, $0) })
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: SerialKey.self)
        for key in container.allKeys {
            self[key.stringValue] = try container.decode(Value.self, forKey: key)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: SerialKey.self)
        for (serial, value) in entries {
            try container.encode(value, forKey: SerialKey(serial))
        }
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.entries.count == rhs.entries.count
            && lhs.entries.allSatisfy { rhs[$0.serial] == $0.value }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(entries.count)
        for (serial, value) in entries.sorted(by: { $0.serial < $1.serial }) {
            hasher.combine(serial)
            hasher.combine(value)
        }
    }
}

/// A coding key that is any serial number.
struct SerialKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(_ serial: String) { stringValue = serial }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
