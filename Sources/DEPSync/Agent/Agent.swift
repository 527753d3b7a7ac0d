public import DEPWire
public import Foundation
public import Logging

/// The MDM-side agent over one state directory: what each `depsync` command does, so that the
/// command line only parses and prints.
public struct Agent: Sendable {
    public let configuration: DEPSyncConfiguration
    public let store: LocalStore
    let transport: any HTTPTransport
    let now: @Sendable () -> Date
    let logger: Logger

    /// Opens the state directory (creating it and its store when missing). `transport` defaults
    /// to libcurl with the configuration's options.
    public init(
        configuration: DEPSyncConfiguration, transport: (any HTTPTransport)? = nil,
        now: @escaping @Sendable () -> Date = { Date() }, logger: Logger = Logger(label: "depsync")
    ) throws {
        self.configuration = configuration
        self.store = try LocalStore.open(stateDirectory: configuration.stateDirectory)
        self.transport =
            transport ?? HTTPClient(userAgent: configuration.userAgent, options: configuration.transport)
        self.now = now
        self.logger = logger
    }

    // MARK: Token

    /// Makes the key pair and the certificate to upload to the portal (the "DEP token request").
    public func requestToken(commonName: String = "depsync", replacing: Bool = false) throws -> TokenKeyPair {
        try TokenKeyPair.request(in: configuration.stateDirectory, commonName: commonName, replacing: replacing)
    }

    /// The certificate file to upload to the portal.
    public var certificatePath: String { TokenKeyPair.certificatePath(in: configuration.stateDirectory) }

    /// Decrypts and stores a `.p7m` server token. A token of another MDM server replaces the
    /// stored one only when `force`, and then the next sync starts with a full fetch.
    public func importToken(_ file: Data, force: Bool = false) async throws -> OAuthTokens {
        let pair = try TokenKeyPair.load(from: configuration.stateDirectory)
        let previous = try await store.token()
        let tokens = try await TokenImport.run(file: file, pair: pair, store: store, at: now(), force: force)
        if let previous, previous.tokens.consumerKey != tokens.consumerKey {
            try await store.resetCursor()
        }
        return tokens
    }

    /// A client for the stored token.
    public func client() async throws -> DEPClient {
        guard let stored = try await store.token() else { throw AgentError.noToken }
        var options = DEPClient.Options(baseURL: configuration.baseURL)
        options.protocolVersion = configuration.protocolVersion
        options.retry = configuration.retry
        return DEPClient(tokens: stored.tokens, transport: transport, options: options, now: now, logger: logger)
    }

    // MARK: Sync

    /// Runs one sync round.
    public func sync(_ options: Syncer.Options = Syncer.Options(), progress: (@Sendable (SyncProgress) -> Void)? = nil)
        async throws -> SyncReport
    {
        let syncer = Syncer(client: try await client(), store: store, now: now, logger: logger, progress: progress)
        return try await syncer.runRound(options)
    }

    /// The MDM server's account details.
    public func account() async throws -> AccountDetail {
        try await client().account()
    }

    /// What `depsync status` shows.
    public func status() async throws -> AgentStatus {
        let token = try await store.token()
        let state = try await store.syncState()
        return AgentStatus(
            tokenExpiry: token?.tokens.accessTokenExpiry, tokenImported: token?.imported, syncState: state,
            counts: try await store.counts(), now: now())
    }

    // MARK: Profiles

    /// Defines `profile` with the service (after the same checks the service makes) and
    /// remembers it; returns its UUID.
    public func defineProfile(_ profile: Profile) async throws -> DefineProfileResponse {
        try ProfileDefinition.check(profile)
        let response = try await client().defineProfile(profile)
        try await store.storeProfile(profile, uuid: response.profileUUID, at: now())
        if let devices = response.devices {
            try await store.recordAssignment(response.profileUUID, results: devices, at: now())
        }
        return response
    }

    /// A profile as the service has it.
    public func profile(_ uuid: String) async throws -> Profile {
        do {
            return try await client().profile(uuid)
        } catch DEPClientError.refused(let error) where error.status == 404 {
            throw AgentError.unknownProfile(uuid)
        }
    }

    /// Assigns profile `uuid` to `serials`, or to every synced device without a profile when
    /// `unassigned`.
    public func assignProfile(_ uuid: String, to serials: [String], unassigned: Bool = false, maxWait: Double = 30)
        async throws -> AssignmentSummary
    {
        let targets = unassigned ? try await store.unassignedSerials() : serials
        guard !targets.isEmpty else { throw AgentError.nothingToAssign }
        return try await ProfileAssigner(client: client(), store: store, now: now, maxWait: maxWait)
            .assign(uuid, to: targets)
    }

    /// Removes the profile of `serials`.
    public func removeProfile(from serials: [String]) async throws -> AssignmentSummary {
        guard !serials.isEmpty else { throw AgentError.nothingToAssign }
        return try await ProfileAssigner(client: client(), store: store, now: now).remove(from: serials)
    }
}

/// What `depsync status` shows.
public struct AgentStatus: Sendable {
    public var tokenExpiry: Date?
    public var tokenImported: Date?
    public var syncState: SyncState
    public var counts: DeviceCounts
    public var now: Date

    /// How long before its token expires an organisation's administrators are told to renew it:
    /// Apple emails them 30 days ahead (issue 10).
    public static let tokenRenewalNotice: TimeInterval = 30 * 86_400

    /// Days until the token expires (negative once expired).
    public var daysToTokenExpiry: Int? {
        tokenExpiry.map { Int(($0.timeIntervalSince(now) / 86400).rounded(.down)) }
    }

    /// Whether the token has expired: `/session` refuses it (the expiry instant counts).
    public var isTokenExpired: Bool { tokenExpiry.map { $0 <= now } ?? false }

    /// Whether the token is still valid but expires within `tokenRenewalNotice`: time to
    /// download a new one.
    public var tokenExpiresSoon: Bool {
        tokenExpiry.map { !isTokenExpired && $0.timeIntervalSince(now) <= Self.tokenRenewalNotice } ?? false
    }

    /// How old the stored cursor is, in seconds.
    public var cursorAge: Double? { syncState.cursorSaved.map { now.timeIntervalSince($0) } }
}
