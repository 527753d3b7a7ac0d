/// The answer of `GET /os-beta-enrollment/tokens` (dep-api §3.13; camelCase keys, unlike the
/// rest of the API). Apple has been seen to send the list under `seedBuildTokens` too.
public struct GetSeedBuildTokenResponse: Codable, Hashable, Sendable {
    public var betaEnrollmentTokens: [SeedBuildToken]?
    public var seedBuildTokens: [SeedBuildToken]?

    public init(betaEnrollmentTokens: [SeedBuildToken]?, seedBuildTokens: [SeedBuildToken]? = nil) {
        self.betaEnrollmentTokens = betaEnrollmentTokens
        self.seedBuildTokens = seedBuildTokens
    }

    /// Every token, whichever key carried it.
    public var allTokens: [SeedBuildToken] { (betaEnrollmentTokens ?? []) + (seedBuildTokens ?? []) }
}

/// One OS beta enrollment token.
public struct SeedBuildToken: Codable, Hashable, Sendable {
    public var token: String
    public var title: String
    /// `homePodOS`, `iOS`, `OSX`, `tvOS`, `visionOS` or `watchOS`.
    public var os: String

    public init(token: String, title: String, os: String) {
        self.token = token
        self.title = title
        self.os = os
    }
}
