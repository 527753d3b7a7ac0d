#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif

/// A JSON Web Token in JWS compact serialization (RFC 7515 §7.1, RFC 7519): three base64url
/// parts, `header.payload.signature`. Pure: the signature is produced and checked by the
/// caller (DEPCrypto's `ES256`) over `signingInput`.
public struct JWT: Sendable, Hashable {
    /// The JOSE header of a client assertion (peers §5.2): `{"alg":"ES256","kid":…}`.
    public struct Header: Codable, Sendable, Hashable {
        public var alg: String
        public var kid: String?

        public init(alg: String = "ES256", kid: String?) {
            self.alg = alg
            self.kid = kid
        }
    }

    public let header: Header
    /// The decoded payload, JSON.
    public let payload: Data
    /// The decoded signature (for ES256, 64 bytes `r || s`).
    public let signature: Data
    /// The bytes the signature covers: the first two parts as sent, with their dot.
    public let signingInput: Data

    /// Parses a compact JWS. Throws when it has not exactly three parts, a part is not
    /// base64url, or the header is not a JSON object with a string `alg`.
    public init(compact: some StringProtocol) throws(JWTError) {
        let parts = compact.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw JWTError("it has \(parts.count) dot-separated parts, not 3") }
        guard let headerBytes = Base64URL.decode(parts[0]) else { throw JWTError("its header is not base64url") }
        guard let payload = Base64URL.decode(parts[1]) else { throw JWTError("its payload is not base64url") }
        guard let signature = Base64URL.decode(parts[2]) else { throw JWTError("its signature is not base64url") }
        do {
            header = try DEPJSON.decode(Header.self, from: headerBytes)
        } catch {
            throw JWTError("its header is not a JSON object with a string \"alg\"")
        }
        self.payload = payload
        self.signature = signature
        signingInput = Data((parts[0] + "." + parts[1]).utf8)
    }

    /// The payload decoded as `T`.
    public func claims<T: Decodable>(_ type: T.Type) throws(JWTError) -> T {
        do {
            return try DEPJSON.decode(type, from: payload)
        } catch {
            throw JWTError("its payload is not the claims expected: \(error)")
        }
    }

    /// `base64url(header) . base64url(claims)`: what to sign.
    public static func signingInput(header: Header, claims: some Encodable) throws -> String {
        Base64URL.encode(try DEPJSON.encode(header)) + "." + Base64URL.encode(try DEPJSON.encode(claims))
    }

    /// The compact serialization: the signing input, a dot, the base64url signature.
    public static func compact(signingInput: String, signature: Data) -> String {
        signingInput + "." + Base64URL.encode(signature)
    }
}

/// A token that is not a well-formed compact JWS, and why.
public struct JWTError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Why, as the end of "The JWT is malformed: …".
    public let reason: String

    init(_ reason: String) { self.reason = reason }

    public var description: String { "The JWT is malformed: \(reason)." }
}
