/// Why a server token file or its decrypted message cannot be read (dep-api §1.2, §1.4).
///
/// The outer cases concern the S/MIME text of the `.p7m` file; the inner ones the plaintext
/// that CMS decryption yields. Messages name fields, never their secret values.
public enum ServerTokenError: Error, Hashable, Sendable {
    /// The S/MIME text has no empty line between its headers and its body.
    case missingBlankLine
    /// The S/MIME `Content-Type` is not `application/pkcs7-mime` (the value found, or empty).
    case notPKCS7MIME(String)
    /// The S/MIME `Content-Transfer-Encoding` is present and not `base64`.
    case unsupportedTransferEncoding(String)
    /// The S/MIME body is not base64 (the reason: empty, bad character, bad length or padding).
    case invalidBase64(String)
    /// The message lacks the `-----BEGIN MESSAGE-----` or `-----END MESSAGE-----` line.
    case missingArmour
    /// The text between the armour lines is not a JSON object of strings (the reason).
    case invalidJSON(String)
    /// One of the five token fields is absent or empty (its JSON key).
    case missingField(String)
    /// `access_token_expiry` is not an RFC 3339 date-time (the text found).
    case invalidExpiry(String)
}

extension ServerTokenError: CustomStringConvertible {
    /// A sentence saying what is wrong with the token and what to do about it.
    public var description: String {
        switch self {
        case .missingBlankLine:
            "The token file has no blank line after its MIME headers; download the .p7m file again."
        case .notPKCS7MIME(let type):
            "The token file's Content-Type is \"\(type)\", not application/pkcs7-mime; is this a server token (.p7m)?"
        case .unsupportedTransferEncoding(let encoding):
            "The token file uses the transfer encoding \"\(encoding)\"; only base64 is supported."
        case .invalidBase64(let reason):
            "The token file's body is not valid base64 (\(reason)); the file may be truncated."
        case .missingArmour:
            "The decrypted token has no -----BEGIN MESSAGE----- / -----END MESSAGE----- lines."
        case .invalidJSON(let reason):
            "The decrypted token is not the expected JSON object: \(reason)."
        case .missingField(let key):
            "The decrypted token has no \(key); download a new token."
        case .invalidExpiry(let text):
            "The token's access_token_expiry \"\(text)\" is not an RFC 3339 date such as 2026-01-17T11:02:21Z."
        }
    }
}
