#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif

/// The one JSON configuration both sides use (STYLE.md rule 12).
///
/// Encoding is compact, keeps each type's key order (Apple's, dep-api §3), omits absent
/// optionals, writes dates as `DEPDate` and leaves `/` unescaped. Decoding accepts any RFC 3339
/// date `DEPDate.parse` accepts and ignores unknown keys, as a tolerant client must.
public enum DEPJSON {
    /// Encodes `value` as compact JSON text.
    public static func encodeString(_ value: some Encodable) throws -> String {
        String(decoding: try StreamingJSONEncoder().encode(value), as: UTF8.self)
    }

    /// Encodes `value` as compact JSON bytes.
    public static func encode(_ value: some Encodable) throws -> Data {
        Data(try StreamingJSONEncoder().encode(value))
    }

    /// Encodes `value` as compact JSON bytes, for writers that take bytes (HTTP bodies).
    public static func encodeBytes(_ value: some Encodable) throws -> [UInt8] {
        try StreamingJSONEncoder().encode(value)
    }

    /// Appends `value` as compact JSON, for documents written by hand around encoded values.
    public static func append(_ value: some Encodable, to bytes: inout [UInt8]) throws {
        try StreamingJSONEncoder().encode(value, appendingTo: &bytes)
    }

    /// Appends `text` as a JSON string literal, for bodies written by hand.
    public static func appendString(_ text: String, to bytes: inout [UInt8]) {
        JSONString.write(text, to: &bytes)
    }

    /// Appends the UTF-8 text `utf8` (valid UTF-8) as a JSON string literal, for bodies written
    /// by hand from bytes that are not a `String` (an SQLite row's text).
    public static func appendString(utf8: UnsafeBufferPointer<UInt8>, to bytes: inout [UInt8]) {
        JSONString.write(utf8: utf8, to: &bytes)
    }

    /// Decodes a `T` from JSON bytes.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        try decoder.decode(type, from: data)
    }

    /// Decodes a `T` from JSON text.
    public static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        try decoder.decode(type, from: Data(text.utf8))
    }

    private static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = DEPDate.parse(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an RFC 3339 date: \(text)")
            }
            return date
        }
        return decoder
    }
}
