#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// An `Encoder` that writes compact JSON with keys in the order `encode(to:)` writes them,
/// dates as `DEPDate` strings and `/` unescaped: the form Apple's service sends.
struct OrderedJSONEncoder {
    /// Encodes `value` to compact JSON text.
    func encode(_ value: some Encodable) throws -> String {
        let node = try NodeEncoder.encode(value, codingPath: [])
        var output = ""
        output.reserveCapacity(256)
        node.write(to: &output)
        return output
    }
}

/// The encoder behind `OrderedJSONEncoder`: each instance fills one node.
private final class NodeEncoder: Encoder {
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    var node: JSONNode?

    init(codingPath: [any CodingKey]) { self.codingPath = codingPath }

    /// Encodes `value` to a node, treating the types Apple writes specially (dates) first.
    static func encode(_ value: some Encodable, codingPath: [any CodingKey]) throws -> JSONNode {
        if let date = value as? Date { return .scalar(JSONString.literal(DEPDate.format(date))) }
        if let string = value as? String { return .scalar(JSONString.literal(string)) }
        let encoder = NodeEncoder(codingPath: codingPath)
        try value.encode(to: encoder)
        guard let node = encoder.node else {
            throw EncodingError.invalidValue(
                value, .init(codingPath: codingPath, debugDescription: "\(type(of: value)) encoded nothing"))
        }
        return node
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let box: JSONObjectBox
        if case .object(let existing) = node {
            box = existing
        } else {
            box = JSONObjectBox()
            node = .object(box)
        }
        return KeyedEncodingContainer(KeyedNodeContainer(box: box, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let box: JSONArrayBox
        if case .array(let existing) = node {
            box = existing
        } else {
            box = JSONArrayBox()
            node = .array(box)
        }
        return UnkeyedNodeContainer(box: box, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { SingleNodeContainer(encoder: self) }
}

/// Serialised forms of the scalar types `Encoder` containers accept.
private enum Scalar {
    static func number(_ value: some BinaryInteger) -> JSONNode { .scalar(String(value)) }

    static func number(_ value: Double, codingPath: [any CodingKey]) throws -> JSONNode {
        guard value.isFinite else {
            throw EncodingError.invalidValue(
                value, .init(codingPath: codingPath, debugDescription: "not a JSON number"))
        }
        if value == value.rounded(), abs(value) < 1e15 { return .scalar(String(Int64(value))) }
        return .scalar("\(value)")
    }
}

private struct KeyedNodeContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let box: JSONObjectBox
    let codingPath: [any CodingKey]

    private func put(_ node: JSONNode, _ key: Key) { box.set(key.stringValue, node) }

    mutating func encodeNil(forKey key: Key) { put(.scalar("null"), key) }
    mutating func encode(_ value: Bool, forKey key: Key) { put(.scalar(value ? "true" : "false"), key) }
    mutating func encode(_ value: String, forKey key: Key) { put(.scalar(JSONString.literal(value)), key) }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        put(try Scalar.number(value, codingPath: codingPath + [key]), key)
    }
    mutating func encode(_ value: Float, forKey key: Key) throws {
        put(try Scalar.number(Double(value), codingPath: codingPath + [key]), key)
    }
    mutating func encode(_ value: Int, forKey key: Key) { put(Scalar.number(value), key) }
    mutating func encode(_ value: Int8, forKey key: Key) { put(Scalar.number(value), key) }
    mutating func encode(_ value: Int16, forKey key: Key) { put(Scalar.number(value), key) }
    mutating func encode(_ value: Int32, forKey key: Key) { put(Scalar.number(value), key) }
    mutating func encode(_ value: Int64, forKey key: Key) { put(Scalar.number(value), key) }
    mutating func encode(_ value: UInt, forKey key: Key) { put(Scalar.number(value), key) }
    mutating func encode(_ value: UInt8, forKey key: Key) { put(Scalar.number(value), key) }
    mutating func encode(_ value: UInt16, forKey key: Key) { put(Scalar.number(value), key) }
    mutating func encode(_ value: UInt32, forKey key: Key) { put(Scalar.number(value), key) }
    mutating func encode(_ value: UInt64, forKey key: Key) { put(Scalar.number(value), key) }
    mutating func encode(_ value: some Encodable, forKey key: Key) throws {
        put(try NodeEncoder.encode(value, codingPath: codingPath + [key]), key)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        let nested = JSONObjectBox()
        put(.object(nested), key)
        return KeyedEncodingContainer(KeyedNodeContainer<NestedKey>(box: nested, codingPath: codingPath + [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nested = JSONArrayBox()
        put(.array(nested), key)
        return UnkeyedNodeContainer(box: nested, codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder { SuperEncoder(box: box, key: "super", codingPath: codingPath) }
    mutating func superEncoder(forKey key: Key) -> any Encoder {
        SuperEncoder(box: box, key: key.stringValue, codingPath: codingPath + [key])
    }
}

private struct UnkeyedNodeContainer: UnkeyedEncodingContainer {
    let box: JSONArrayBox
    let codingPath: [any CodingKey]
    var count: Int { box.items.count }

    private var nextPath: [any CodingKey] { codingPath + [IndexKey(index: box.items.count)] }

    mutating func encodeNil() { box.items.append(.scalar("null")) }
    mutating func encode(_ value: Bool) { box.items.append(.scalar(value ? "true" : "false")) }
    mutating func encode(_ value: String) { box.items.append(.scalar(JSONString.literal(value))) }
    mutating func encode(_ value: Double) throws { box.items.append(try Scalar.number(value, codingPath: nextPath)) }
    mutating func encode(_ value: Float) throws {
        box.items.append(try Scalar.number(Double(value), codingPath: nextPath))
    }
    mutating func encode(_ value: Int) { box.items.append(Scalar.number(value)) }
    mutating func encode(_ value: Int64) { box.items.append(Scalar.number(value)) }
    mutating func encode(_ value: some Encodable) throws {
        box.items.append(try NodeEncoder.encode(value, codingPath: nextPath))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<
        NestedKey
    > {
        let nested = JSONObjectBox()
        let path = nextPath
        box.items.append(.object(nested))
        return KeyedEncodingContainer(KeyedNodeContainer<NestedKey>(box: nested, codingPath: path))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let nested = JSONArrayBox()
        let path = nextPath
        box.items.append(.array(nested))
        return UnkeyedNodeContainer(box: nested, codingPath: path)
    }

    mutating func superEncoder() -> any Encoder {
        let encoder = NodeEncoder(codingPath: nextPath)
        let nested = JSONObjectBox()
        encoder.node = .object(nested)
        box.items.append(.object(nested))
        return encoder
    }
}

private struct SingleNodeContainer: SingleValueEncodingContainer {
    let encoder: NodeEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }

    mutating func encodeNil() { encoder.node = .scalar("null") }
    mutating func encode(_ value: Bool) { encoder.node = .scalar(value ? "true" : "false") }
    mutating func encode(_ value: String) { encoder.node = .scalar(JSONString.literal(value)) }
    mutating func encode(_ value: Double) throws { encoder.node = try Scalar.number(value, codingPath: codingPath) }
    mutating func encode(_ value: Float) throws {
        encoder.node = try Scalar.number(Double(value), codingPath: codingPath)
    }
    mutating func encode(_ value: Int) { encoder.node = Scalar.number(value) }
    mutating func encode(_ value: Int64) { encoder.node = Scalar.number(value) }
    mutating func encode(_ value: some Encodable) throws {
        encoder.node = try NodeEncoder.encode(value, codingPath: codingPath)
    }
}

/// The encoder `superEncoder(forKey:)` hands out: what it encodes lands under `key`.
private func SuperEncoder(box: JSONObjectBox, key: String, codingPath: [any CodingKey]) -> any Encoder {
    let encoder = NodeEncoder(codingPath: codingPath)
    let nested = JSONObjectBox()
    encoder.node = .object(nested)
    box.set(key, .object(nested))
    return encoder
}

private struct IndexKey: CodingKey {
    let index: Int
    var stringValue: String { "Index \(index)" }
    var intValue: Int? { index }
    init(index: Int) { self.index = index }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.index = intValue }
}
