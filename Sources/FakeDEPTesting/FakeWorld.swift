public import FakeDEPServer
public import Foundation

/// One world of a running fakedep: a whole fake Apple (organisation, devices, MDM servers,
/// tokens, profiles, sessions) of a test's own, with its journal and its clock. It acts through
/// the same registry and world methods as the `/_fakedep/` routes, under the same rules: once the
/// world is deleted, every call answers `404 NOT_FOUND`.
public struct FakeWorld: Sendable {
    /// The world's id, as the `/_fakedep/worlds/{id}` paths and `fakedep … --world` name it.
    public let id: String
    /// The base URL of Apple's DEP API: the server's own, since an MDM's token credentials choose
    /// its world.
    public let depURL: URL
    /// The base URL of the world's portal, `…/_fakedep/worlds/{id}/portal`.
    public let portalURL: URL
    /// The base URL of the world's device side, `…/_fakedep/worlds/{id}/device`.
    public let deviceURL: URL
    /// Every request the world had, read, counted and waited for.
    public let journal: FakeJournal
    /// The world's business time.
    public let clock: FakeClock
    private let worlds: WorldRegistry

    init(id: String, serverURL: URL, worlds: WorldRegistry) {
        self.id = id
        depURL = serverURL
        portalURL = serverURL.appending(path: "_fakedep/worlds/\(id)/portal")
        deviceURL = serverURL.appending(path: "_fakedep/worlds/\(id)/device")
        journal = FakeJournal(worldID: id, worlds: worlds)
        clock = FakeClock(worldID: id, worlds: worlds)
        self.worlds = worlds
    }

    /// The world's domain, for what a test sets up directly: MDM servers and their tokens,
    /// assignments, profiles, devices. A reset replaces it, so read it again after one.
    public var world: World {
        get throws { try worlds.world(id) }
    }

    /// What the world is: its id, name, seed and when it was made.
    public var summary: WorldSummary {
        get throws { try worlds.summary(id) }
    }

    /// Empties the world back to its seed, keeping its id, name and journal: every credential,
    /// session and cursor it issued is refused from then on, and its clock is back at its base clock's.
    public func reset() async throws {
        _ = try await worlds.reset(id)
    }

    /// Drops the world and its store. The default world cannot be deleted: reset it instead.
    public func delete() throws {
        try worlds.delete(id)
    }
}
