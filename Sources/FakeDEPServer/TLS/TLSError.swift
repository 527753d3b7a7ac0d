public import Foundation

/// Why fakedep cannot serve TLS: a certificate or key that cannot be read, made or used, said
/// with the file it is about and what to do.
public struct TLSError: Error, CustomStringConvertible, LocalizedError {
    public let description: String

    init(_ description: String) {
        self.description = description
    }

    public var errorDescription: String? { description }
}
