import DEPCrypto
public import DEPWire
public import Foundation

/// Opens a server token file (`.p7m`) with the state directory's key pair: S/MIME text, then
/// CMS EnvelopedData, then the token message (dep-api §1.4).
public enum TokenImport {
    /// The OAuth values inside `file`'s bytes.
    public static func open(_ file: Data, with pair: TokenKeyPair) throws -> OAuthTokens {
        do {
            let envelope = try SMIMEEnvelope.unwrap(Array(file))
            let message = try EnvelopedData.decrypt(Data(envelope), key: pair.key, certificate: pair.certificate)
            return try TokenMessage.parse(Array(message))
        } catch let error as ServerTokenError {
            throw AgentError.tokenUnreadable(error.description)
        } catch let error as CryptoError {
            throw AgentError.tokenUnreadable(error.description)
        }
    }

    /// Opens `file` and stores its token; refuses a token of another MDM server (another
    /// consumer key) unless `force`. Returns the stored token.
    public static func run(
        file: Data, pair: TokenKeyPair, store: LocalStore, at date: Date, force: Bool
    ) async throws -> OAuthTokens {
        let tokens = try open(file, with: pair)
        if let stored = try await store.token(), stored.tokens.consumerKey != tokens.consumerKey, !force {
            throw AgentError.tokenForAnotherServer(stored: stored.tokens.consumerKey, imported: tokens.consumerKey)
        }
        try await store.storeToken(tokens, at: date)
        return tokens
    }
}
