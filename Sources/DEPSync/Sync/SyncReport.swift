/// What one sync round did.
public struct SyncReport: Sendable, Hashable {
    /// Whether the round ran (or finished) a full fetch.
    public var fullFetch = false
    /// Pages stored.
    public var pages = 0
    /// Device records received, repeats included.
    public var devicesReceived = 0
    /// What the stored pages changed.
    public var changes = PageChanges()
    /// Times the service refused the cursor and a full fetch started over.
    public var cursorResets = 0
    /// The service echoed the cursor it was sent with `more_to_follow: true`; the round ended
    /// there instead of asking again for the same page.
    public var echoedCursor = false
    /// The service kept answering `more_to_follow: true` with pages that brought nothing new;
    /// the round ended after `Syncer.Options.idlePageLimit` of them in a row.
    public var stalled = false
    /// Devices skipped because their serial holds control characters (no Apple serial does).
    public var skippedDevices = 0
    /// The profile assignments made for newly arrived devices (`sync --auto-assign`).
    public var autoAssignment: AssignmentSummary?

    public init() {}
}

/// Where a running round is, for a progress line.
public struct SyncProgress: Sendable {
    public var phase: SyncState.Phase
    public var devicesReceived: Int
    public var elapsedSeconds: Double

    /// Devices per second so far.
    public var rate: Double { elapsedSeconds > 0 ? Double(devicesReceived) / elapsedSeconds : 0 }
}
