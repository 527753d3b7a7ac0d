import DEPCrypto
public import DEPWire
public import Foundation

/// What `depsync abm login` proved.
public struct ABMLogin: Sendable {
    public var account: ABMAccount
    /// When the access token minted with the credentials expires (our clock).
    public var tokenExpiry: Date?
}

/// `depsync abm`: the MDM's side of Apple's Business/School Manager API, as one API account.
extension Agent {
    /// Keeps the API account `clientID` (its key `keyPEM`, read from `keyPath`) in the state
    /// directory, then mints an access token to prove the credentials work. `url` points both
    /// the API and the token endpoint at one server (a fakedep); Apple's otherwise.
    public func abmLogin(clientID: String, keyID: String, keyPEM: Data, keyPath: String, url: String? = nil)
        async throws -> ABMLogin
    {
        let account = try ABMAccount(clientID: clientID, keyID: keyID, url: url)
        let key = try ABMAccount.readKey(keyPEM, path: keyPath)
        // New credentials: nothing cached for an earlier key may be used.
        try await store.storeABMCredentials(ABMCachedCredentials(clientID: clientID))
        try await abmClient(account: account, key: key).mintToken()
        // Kept only once they proved to work, so that a typo leaves the working account in place.
        try account.save(keyPEM: String(decoding: keyPEM, as: UTF8.self), stateDirectory: configuration.stateDirectory)
        return ABMLogin(
            account: account, tokenExpiry: try await store.abmCredentials(clientID: clientID)?.accessTokenExpiry)
    }

    /// A client for the API account the state directory keeps; `url` replaces its base URL.
    public func abmClient(url: String? = nil) throws -> ABMClient {
        var (account, key) = try ABMAccount.load(stateDirectory: configuration.stateDirectory)
        if let url { account = try ABMAccount(clientID: account.clientID, keyID: account.keyID, url: url) }
        return abmClient(account: account, key: key)
    }

    private func abmClient(account: ABMAccount, key: ECPrivateKey) -> ABMClient {
        var options = ABMClient.Options()
        options.retry = configuration.retry
        return ABMClient(
            account: account, key: key, store: store, transport: transport, options: options, now: now, logger: logger)
    }

    /// Brings the store's copy of the organisation's devices up to date: the audit log since the
    /// last refresh, or every device when there was none or `full`.
    public func abmRefreshDevices(full: Bool = false, client: ABMClient? = nil) async throws -> ABMRefreshReport {
        try await ABMInventory(client: client ?? abmClient(), store: store, now: now, logger: logger).refresh(
            full: full)
    }

    /// The organisation's MDM servers.
    public func abmServers(client: ABMClient? = nil) async throws -> [MdmServer] {
        try await (client ?? abmClient()).servers()
    }

    /// Assigns `serials` to (or, for `.unassignDevices`, unassigns them from) the server named
    /// `server`, waits up to `maxWait` seconds for the activity to end and reads its log.
    public func abmChangeAssignment(
        _ type: OrgDeviceActivityType, serials: [String], server: String, maxWait: Double = 60,
        client: ABMClient? = nil,
        sleep: @escaping @Sendable (Double) async throws -> Void = { try await Task.sleep(for: .seconds($0)) }
    ) async throws -> ABMActivityReport {
        var unique: [String] = []
        var seen: Set<String> = []
        for serial in serials.map({ $0.trimmingCharacters(in: .whitespaces) }) where !serial.isEmpty {
            if seen.insert(serial.uppercased()).inserted { unique.append(serial) }
        }
        guard !unique.isEmpty else { throw AgentError.abmNoSerials }
        return try await ABMActivityRun(client: client ?? abmClient(), sleep: sleep)
            .run(type, serials: unique, serverName: server, maxWait: maxWait)
    }
}
