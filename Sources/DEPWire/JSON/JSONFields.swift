#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A type that writes its own JSON, faster than through `Encodable`: fetch and sync pages carry
/// up to 1000 devices, and the streaming encoder hands such values their bytes directly.
///
/// A conforming type writes exactly what its `Encodable` conformance encodes (a test holds the
/// two to the same bytes).
protocol JSONWritable {
    /// Appends this value as compact JSON.
    func writeJSON(to bytes: inout [UInt8])
}

/// The members of one JSON object being written, in order; absent optionals are left out.
struct JSONFields {
    private var isEmpty = true

    /// Writes `"key":` with the separator before it.
    private mutating func key(_ key: some CodingKey, _ bytes: inout [UInt8]) {
        bytes.append(isEmpty ? UInt8(ascii: "{") : UInt8(ascii: ","))
        isEmpty = false
        JSONString.write(key.stringValue, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
    }

    /// Closes the object (`{}` if it has no members).
    func close(_ bytes: inout [UInt8]) {
        if isEmpty { bytes.append(UInt8(ascii: "{")) }
        bytes.append(UInt8(ascii: "}"))
    }

    mutating func add(_ name: some CodingKey, _ value: String?, to bytes: inout [UInt8]) {
        guard let value else { return }
        key(name, &bytes)
        JSONString.write(value, to: &bytes)
    }

    mutating func add<Value: RawRepresentable<String>>(_ name: some CodingKey, _ value: Value?, to bytes: inout [UInt8])
    {
        add(name, value?.rawValue, to: &bytes)
    }

    mutating func add(_ name: some CodingKey, _ value: Date?, to bytes: inout [UInt8]) {
        guard let value else { return }
        key(name, &bytes)
        bytes.append(UInt8(ascii: "\""))
        DEPDate.append(value, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func add(_ name: some CodingKey, _ value: Bool?, to bytes: inout [UInt8]) {
        guard let value else { return }
        key(name, &bytes)
        bytes.append(contentsOf: value ? Array("true".utf8) : Array("false".utf8))
    }

    mutating func add(_ name: some CodingKey, _ value: [String]?, to bytes: inout [UInt8]) {
        guard let value else { return }
        key(name, &bytes)
        JSONFields.write(value, to: &bytes)
    }

    /// Apple's string form for one address, an array for several (as `AddressList` encodes).
    mutating func add(_ name: some CodingKey, _ value: AddressList?, to bytes: inout [UInt8]) {
        guard let value else { return }
        key(name, &bytes)
        if value.addresses.count == 1 {
            JSONString.write(value.addresses[0], to: &bytes)
        } else {
            JSONFields.write(value.addresses, to: &bytes)
        }
    }

    mutating func add(_ name: some CodingKey, _ values: [some JSONWritable], to bytes: inout [UInt8]) {
        key(name, &bytes)
        bytes.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            value.writeJSON(to: &bytes)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    private static func write(_ strings: [String], to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "["))
        for (index, string) in strings.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            JSONString.write(string, to: &bytes)
        }
        bytes.append(UInt8(ascii: "]"))
    }
}
