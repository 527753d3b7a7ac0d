extension KeyedDecodingContainer {
    /// A list sent as an array, as one string, or as `null`: schemas, documentation and
    /// traffic disagree on IMEI, MEID and MAC fields (peers §5.4), and a client must read all.
    /// One string is one entry; an empty string is none.
    func decodeStringList(forKey key: Key) throws -> [String]? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        if let list = try? decode([String].self, forKey: key) { return list }
        let text = try decode(String.self, forKey: key)
        return text.isEmpty ? [] : [text]
    }

    /// A single value sent as a string or as an array of strings (MAC addresses became arrays
    /// in API 1.5 for some clients, peers §5.4): an array's entries joined by commas.
    func decodeStringOrList(forKey key: Key) throws -> String? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        if let text = try? decode(String.self, forKey: key) { return text }
        return try decode([String].self, forKey: key).joined(separator: ",")
    }
}
