#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// An `Encoder` that writes compact JSON straight into a byte buffer, keys in the order
/// `encode(to:)` writes them, dates as `DEPDate` strings and `/` unescaped: the form Apple's
/// service sends.
///
/// `JSONEncoder` on Linux writes keys in a different order on every run (STYLE.md, traps), and
/// building a tree first costs more than the fetch page it encodes. `Encoder` never says when a
/// container is finished, so the writer keeps a stack of open containers and closes those a value
/// opened when its `encode(to:)` returns, and a container's finished children when it writes its
/// next member. Encoding into a container after writing to a later sibling is not supported;
/// synthesized `Codable` code never does it.
struct StreamingJSONEncoder {
    /// Encodes `value` to compact JSON bytes.
    func encode(_ value: some Encodable) throws -> [UInt8] {
        let writer = JSONStreamWriter()
        try writer.encodeValue(value, codingPath: [])
        writer.close(downTo: 0)
        return writer.bytes
    }

    /// Encodes `value` to compact JSON at the end of `output`, which the writer borrows meanwhile.
    func encode(_ value: some Encodable, appendingTo output: inout [UInt8]) throws {
        let writer = JSONStreamWriter(reserving: 0)
        swap(&writer.bytes, &output)
        defer { swap(&writer.bytes, &output) }
        try writer.encodeValue(value, codingPath: [])
        writer.close(downTo: 0)
    }
}

/// The shared state of one encoding: the output and the stack of open containers.
final class JSONStreamWriter {
    /// An open object or array, and whether it has a member yet.
    struct Frame {
        var isObject: Bool
        var isEmpty = true
    }

    var bytes: [UInt8] = []
    var stack: [Frame] = []

    init(reserving capacity: Int = 1024) { bytes.reserveCapacity(capacity) }

    /// Closes every container deeper than `depth`.
    func close(downTo depth: Int) {
        while stack.count > depth {
            bytes.append(stack.removeLast().isObject ? UInt8(ascii: "}") : UInt8(ascii: "]"))
        }
    }

    /// Opens a container at the current position.
    func open(isObject: Bool) {
        bytes.append(isObject ? UInt8(ascii: "{") : UInt8(ascii: "["))
        stack.append(Frame(isObject: isObject))
    }

    /// Starts a member of the container at `depth`: closes its finished children and writes the
    /// separator and, for an object, the key.
    func beginMember(at depth: Int, key: String?) {
        close(downTo: depth + 1)
        if !stack[depth].isEmpty { bytes.append(UInt8(ascii: ",")) }
        stack[depth].isEmpty = false
        if let key {
            JSONString.write(key, to: &bytes)
            bytes.append(UInt8(ascii: ":"))
        }
    }

    /// Writes one value: the scalars Apple's types use directly, anything else through its
    /// `encode(to:)`, closing what it opened.
    func encodeValue(_ value: some Encodable, codingPath: [any CodingKey]) throws {
        switch value {
        case let string as String: JSONString.write(string, to: &bytes)
        case let date as Date: JSONString.write(DEPDate.format(date), to: &bytes)
        case let flag as Bool: writeBool(flag)
        case let number as Int: writeInteger(number)
        case let writable as any JSONWritable: writable.writeJSON(to: &bytes)
        default:
            let depth = stack.count
            let start = bytes.count
            try value.encode(to: StreamEncoder(writer: self, codingPath: codingPath, depth: depth))
            close(downTo: depth)
            if bytes.count == start { bytes.append(contentsOf: Array("{}".utf8)) }
        }
    }

    func writeBool(_ value: Bool) { bytes.append(contentsOf: value ? Array("true".utf8) : Array("false".utf8)) }

    func writeInteger(_ value: some BinaryInteger) { bytes.append(contentsOf: String(value).utf8) }

    func writeDouble(_ value: Double, codingPath: [any CodingKey]) throws {
        guard value.isFinite else {
            throw EncodingError.invalidValue(
                value, .init(codingPath: codingPath, debugDescription: "not a JSON number"))
        }
        if value == value.rounded(), abs(value) < 1e15 { return writeInteger(Int64(value)) }
        bytes.append(contentsOf: "\(value)".utf8)
    }

    func writeNull() { bytes.append(contentsOf: Array("null".utf8)) }
}

/// The `Encoder` a value encodes itself into: its containers continue the writer's stream.
private struct StreamEncoder: Encoder {
    let writer: JSONStreamWriter
    let codingPath: [any CodingKey]
    /// The stack depth at which this value's own container sits.
    let depth: Int
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    /// Opens this value's container, or returns to it when `encode(to:)` asks twice.
    private func openContainer(isObject: Bool) {
        if writer.stack.count > depth, writer.stack[depth].isObject == isObject {
            writer.close(downTo: depth + 1)
        } else {
            writer.open(isObject: isObject)
        }
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        openContainer(isObject: true)
        return KeyedEncodingContainer(StreamKeyedContainer<Key>(writer: writer, codingPath: codingPath, depth: depth))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        openContainer(isObject: false)
        return StreamUnkeyedContainer(writer: writer, codingPath: codingPath, depth: depth)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        StreamSingleValueContainer(writer: writer, codingPath: codingPath)
    }
}

private struct StreamKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let writer: JSONStreamWriter
    let codingPath: [any CodingKey]
    let depth: Int

    private func member(_ key: Key) { writer.beginMember(at: depth, key: key.stringValue) }

    mutating func encodeNil(forKey key: Key) { member(key); writer.writeNull() }
    mutating func encode(_ value: Bool, forKey key: Key) { member(key); writer.writeBool(value) }
    mutating func encode(_ value: String, forKey key: Key) { member(key); JSONString.write(value, to: &writer.bytes) }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        member(key)
        try writer.writeDouble(value, codingPath: codingPath + [key])
    }
    mutating func encode(_ value: Float, forKey key: Key) throws {
        member(key)
        try writer.writeDouble(Double(value), codingPath: codingPath + [key])
    }
    mutating func encode(_ value: Int, forKey key: Key) { member(key); writer.writeInteger(value) }
    mutating func encode(_ value: Int8, forKey key: Key) { member(key); writer.writeInteger(value) }
    mutating func encode(_ value: Int16, forKey key: Key) { member(key); writer.writeInteger(value) }
    mutating func encode(_ value: Int32, forKey key: Key) { member(key); writer.writeInteger(value) }
    mutating func encode(_ value: Int64, forKey key: Key) { member(key); writer.writeInteger(value) }
    mutating func encode(_ value: UInt, forKey key: Key) { member(key); writer.writeInteger(value) }
    mutating func encode(_ value: UInt8, forKey key: Key) { member(key); writer.writeInteger(value) }
    mutating func encode(_ value: UInt16, forKey key: Key) { member(key); writer.writeInteger(value) }
    mutating func encode(_ value: UInt32, forKey key: Key) { member(key); writer.writeInteger(value) }
    mutating func encode(_ value: UInt64, forKey key: Key) { member(key); writer.writeInteger(value) }
    mutating func encode(_ value: some Encodable, forKey key: Key) throws {
        member(key)
        try writer.encodeValue(value, codingPath: codingPath + [key])
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        member(key)
        writer.open(isObject: true)
        return KeyedEncodingContainer(
            StreamKeyedContainer<NestedKey>(writer: writer, codingPath: codingPath + [key], depth: depth + 1))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        member(key)
        writer.open(isObject: false)
        return StreamUnkeyedContainer(writer: writer, codingPath: codingPath + [key], depth: depth + 1)
    }

    mutating func superEncoder() -> any Encoder {
        writer.beginMember(at: depth, key: "super")
        return StreamEncoder(writer: writer, codingPath: codingPath, depth: depth + 1)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        member(key)
        return StreamEncoder(writer: writer, codingPath: codingPath + [key], depth: depth + 1)
    }
}

private struct StreamUnkeyedContainer: UnkeyedEncodingContainer {
    let writer: JSONStreamWriter
    let codingPath: [any CodingKey]
    let depth: Int
    private(set) var count = 0

    init(writer: JSONStreamWriter, codingPath: [any CodingKey], depth: Int) {
        self.writer = writer
        self.codingPath = codingPath
        self.depth = depth
    }

    private mutating func element() {
        writer.beginMember(at: depth, key: nil)
        count += 1
    }

    mutating func encodeNil() { element(); writer.writeNull() }
    mutating func encode(_ value: Bool) { element(); writer.writeBool(value) }
    mutating func encode(_ value: String) { element(); JSONString.write(value, to: &writer.bytes) }
    mutating func encode(_ value: Double) throws {
        element()
        try writer.writeDouble(value, codingPath: codingPath)
    }
    mutating func encode(_ value: Float) throws {
        element()
        try writer.writeDouble(Double(value), codingPath: codingPath)
    }
    mutating func encode(_ value: Int) { element(); writer.writeInteger(value) }
    mutating func encode(_ value: Int64) { element(); writer.writeInteger(value) }
    mutating func encode(_ value: some Encodable) throws {
        element()
        try writer.encodeValue(value, codingPath: codingPath)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<
        NestedKey
    > {
        element()
        writer.open(isObject: true)
        return KeyedEncodingContainer(
            StreamKeyedContainer<NestedKey>(writer: writer, codingPath: codingPath, depth: depth + 1))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        element()
        writer.open(isObject: false)
        return StreamUnkeyedContainer(writer: writer, codingPath: codingPath, depth: depth + 1)
    }

    mutating func superEncoder() -> any Encoder {
        element()
        return StreamEncoder(writer: writer, codingPath: codingPath, depth: depth + 1)
    }
}

private struct StreamSingleValueContainer: SingleValueEncodingContainer {
    let writer: JSONStreamWriter
    let codingPath: [any CodingKey]

    mutating func encodeNil() { writer.writeNull() }
    mutating func encode(_ value: Bool) { writer.writeBool(value) }
    mutating func encode(_ value: String) { JSONString.write(value, to: &writer.bytes) }
    mutating func encode(_ value: Double) throws { try writer.writeDouble(value, codingPath: codingPath) }
    mutating func encode(_ value: Float) throws { try writer.writeDouble(Double(value), codingPath: codingPath) }
    mutating func encode(_ value: Int) { writer.writeInteger(value) }
    mutating func encode(_ value: Int64) { writer.writeInteger(value) }
    mutating func encode(_ value: some Encodable) throws { try writer.encodeValue(value, codingPath: codingPath) }
}
