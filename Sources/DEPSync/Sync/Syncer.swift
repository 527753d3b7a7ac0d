import DEPWire
public import Foundation
public import Logging

/// The fetch → sync state machine (dep-api §4.1), built so that the known client bugs cannot
/// happen (peers §3, §7):
///
/// - a page's devices and the cursor after it are stored in one transaction, never the cursor
///   first; a killed agent resumes from the last stored page;
/// - a cursor echoed back with `more_to_follow: true` ends the round instead of looping, and so
///   do a few pages in a row that bring nothing new (fresh cursors or not), after backoff;
/// - a device whose serial holds control characters is skipped, never stored cut short;
/// - `EXPIRED_CURSOR` or `INVALID_CURSOR` starts a full fetch, and a completed full fetch marks
///   removed every device it did not list;
/// - a serial repeated in a sync page counts once, at its latest `op_date`;
/// - the page size is what `/account` advertises, capped by the caller's limit.
public struct Syncer: Sendable {
    public struct Options: Sendable {
        /// The largest page to ask for, whatever the service allows.
        public var limit: Int?
        /// A profile to assign to devices as they arrive without one.
        public var autoAssignProfile: String?
        /// Pages in a row that say more is to follow but bring nothing new, after which the
        /// round ends: a service that keeps handing out fresh cursors cannot hold it forever.
        public var idlePageLimit = 3
        /// The wait before asking again after the first page that brought nothing new, in
        /// seconds; it doubles with each further one.
        public var idleBackoff: Double = 1

        public init(limit: Int? = nil, autoAssignProfile: String? = nil) {
            self.limit = limit
            self.autoAssignProfile = autoAssignProfile
        }
    }

    /// The page size when `/account` advertises none (Apple's documented default).
    public static let defaultPageSize = 100

    let client: DEPClient
    let store: LocalStore
    let now: @Sendable () -> Date
    let logger: Logger
    let progress: (@Sendable (SyncProgress) -> Void)?
    let sleep: @Sendable (Double) async throws -> Void

    /// Creates a syncer; `now` and `sleep` (the backoff after pages with nothing new) are
    /// injectable so tests need not wait.
    public init(
        client: DEPClient, store: LocalStore, now: @escaping @Sendable () -> Date = { Date() },
        logger: Logger = Logger(label: "depsync.sync"), progress: (@Sendable (SyncProgress) -> Void)? = nil,
        sleep: @escaping @Sendable (Double) async throws -> Void = { try await Task.sleep(for: .seconds($0)) }
    ) {
        self.client = client
        self.store = store
        self.now = now
        self.logger = logger
        self.sleep = sleep
        self.progress = progress
    }

    /// Runs one round: fetch (when no full fetch has completed) then sync until the service has
    /// no more to follow; then assigns the auto-assign profile to devices that arrived.
    public func runRound(_ options: Options = Options()) async throws -> SyncReport {
        let started = now()
        var report = SyncReport()
        let account = try await client.account()
        let fetchLimit = Self.pageSize(account.limit(for: "/server/devices"), cap: options.limit)
        let syncLimit = Self.pageSize(account.limit(for: "/devices/sync"), cap: options.limit)
        let autoAssign = options.autoAssignProfile != nil
        let depName = account.serverName ?? ""
        var state = try await store.syncState()
        if state.phase == .fetch, state.cursor == nil { state.fetchGeneration += 1 }

        // The next page is asked for while the current one is being stored: its cursor is
        // already known, and it is stored only after the current page's transaction.
        var prefetched: Task<ReceivedPage, any Error>?
        defer { prefetched?.cancel() }
        // Pages in a row that said more was to follow and brought nothing new.
        var idlePages = 0
        while true {
            try Task.checkCancellation()
            let sent = state.cursor
            let requested = state.phase
            let received: ReceivedPage
            do {
                if let prefetched {
                    received = try await prefetched.value
                } else {
                    received = try await request(
                        requested, cursor: sent, limit: requested == .fetch ? fetchLimit : syncLimit)
                }
                prefetched = nil
            } catch let error as DEPClientError {
                prefetched = nil
                guard case .cursor(let code) = error else { throw error }
                if code == .exhaustedCursor, requested == .fetch {
                    // The fetch had ended before its last page was known to us: go on with sync.
                    try await store.switchToSync()
                    state.phase = .sync
                    continue
                }
                // Expired, invalid or missing: start a full fetch, which reconciles.
                guard code != .exhaustedCursor, report.cursorResets < 2 else { throw error }
                report.cursorResets += 1
                logger.notice("the service answered \(code); starting a full fetch")
                try await store.resetCursor()
                state = try await store.syncState()
                state.fetchGeneration += 1
                continue
            }

            let page = received.page
            // What comes after this page: more of the same, sync after a complete fetch, or the
            // end of the round (a finished sync, or a cursor echoed with more to follow).
            let echoed = page.moreToFollow && page.cursor == sent
            let next: SyncState.Phase? =
                page.moreToFollow ? (echoed ? nil : requested) : (requested == .fetch ? .sync : nil)
            let listed = page.devices ?? []
            // Asked for while this page is stored, unless pages have stopped bringing news (or
            // this one is empty, so brings none): then the next request waits for the backoff.
            if let next, idlePages == 0, !listed.isEmpty {
                let limit = next == .fetch ? fetchLimit : syncLimit
                prefetched = Task { [cursor = page.cursor] in try await request(next, cursor: cursor, limit: limit) }
            }

            let devices = storable(listed, report: &report)
            report.pages += 1
            report.devicesReceived += listed.count
            let changes: PageChanges
            let announcement = PageAnnouncement(depName: depName, page: page, json: received.json)
            switch requested {
            case .fetch:
                report.fullFetch = true
                changes = try await store.commitFetchPage(
                    devices, cursor: page.cursor, generation: state.fetchGeneration, complete: !page.moreToFollow,
                    at: now(), autoAssign: autoAssign, announcing: announcement)
            case .sync:
                changes = try await store.commitSyncPage(
                    devices, cursor: page.cursor, at: now(), autoAssign: autoAssign, announcing: announcement)
            }
            report.changes += changes
            state.cursor = page.cursor
            progress?(
                SyncProgress(
                    phase: requested, devicesReceived: report.devicesReceived,
                    elapsedSeconds: now().timeIntervalSince(started)))

            if echoed {
                logger.warning("the service echoed the cursor with more_to_follow; ending the round")
                report.echoedCursor = true
            }
            guard let next else { break }
            idlePages = page.moreToFollow && !changes.bringsNews ? idlePages + 1 : 0
            if idlePages >= options.idlePageLimit {
                logger.warning(
                    "the service answered \(idlePages) pages in a row with more_to_follow and nothing new; ending the round"
                )
                report.stalled = true
                break
            }
            state.phase = next
            if idlePages > 0, prefetched == nil {
                try await sleep(options.idleBackoff * pow(2, Double(idlePages - 1)))
            }
        }
        try await store.noteSyncCompleted(at: now())
        logger.info(
            "sync round done",
            metadata: [
                "pages": "\(report.pages)", "received": "\(report.devicesReceived)",
                "added": "\(report.changes.added)", "modified": "\(report.changes.modified)",
                "removed": "\(report.changes.removed)",
            ])
        if let profile = options.autoAssignProfile {
            report.autoAssignment = try await ProfileAssigner(client: client, store: store, now: now)
                .assignPending(profile)
        }
        return report
    }

    /// The devices of a page that can be stored, each skipped one said in a warning.
    ///
    /// A serial with control characters (an embedded NUL, an escape sequence) cannot be an Apple
    /// serial, and SQLite would store it cut at a NUL, as another device's serial perhaps: the
    /// device is skipped. Not the page: refusing it would hold back every later page of the
    /// organisation behind one bad record, asked for again at every round.
    private func storable(_ devices: [Device], report: inout SyncReport) -> [Device] {
        guard devices.contains(where: { $0.serialNumber.containsControlCharacters }) else { return devices }
        return devices.filter { device in
            guard device.serialNumber.containsControlCharacters else { return true }
            logger.warning(
                "skipping a device whose serial holds control characters: \(device.serialNumber.escapingControlCharacters)"
            )
            report.skippedDevices += 1
            return false
        }
    }

    /// Asks for one page of `phase`.
    private func request(_ phase: SyncState.Phase, cursor: String?, limit: Int) async throws(DEPClientError)
        -> ReceivedPage
    {
        switch phase {
        case .fetch: try await client.fetchPage(cursor: cursor, limit: limit)
        case .sync: try await client.syncPage(cursor: cursor ?? "", limit: limit)
        }
    }

    /// The page size to ask for: the service's advertised maximum (or Apple's default of 100
    /// when it advertises none), capped by `cap` and by Apple's largest page (dep-api §3.2), so
    /// that a service advertising a huge page cannot make one page hold the agent's memory.
    static func pageSize(_ advertised: PageLimit?, cap: Int?) -> Int {
        let size = min(advertised?.maximum ?? defaultPageSize, DEPClient.largestPage)
        return max(1, min(size, cap ?? size))
    }
}
