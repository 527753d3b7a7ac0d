#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif

/// One input from libFuzzer, copied out of its buffer, with the views the targets need.
public struct FuzzInput {
    /// The input's bytes.
    public let bytes: [UInt8]

    init(_ buffer: UnsafeRawBufferPointer) { bytes = Array(buffer) }

    /// The bytes as `Data`.
    public var data: Data { Data(bytes) }

    /// The bytes as text, invalid UTF-8 repaired as any reader of a `String` would see it.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// The first byte, to choose among a target's variants, and the bytes after it.
    public var choice: (selector: UInt8, rest: [UInt8])? {
        guard let first = bytes.first else { return nil }
        return (first, Array(bytes.dropFirst()))
    }
}
