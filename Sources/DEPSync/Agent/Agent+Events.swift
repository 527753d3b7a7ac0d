import Foundation

/// The agent's events: which targets it delivers to, delivering, following and the dead letters.
extension Agent {
    /// The targets remembered in the state directory.
    public func eventTargets() throws -> EventTargets {
        try RememberedEventTargets.read(stateDirectory: configuration.stateDirectory)
    }

    /// Checks `targets`, remembers them, and keeps events for exactly them (and for
    /// `events --follow` if it follows): a target newly set starts with the next event made, one
    /// unset forgets its queue and dead letters. Bad input changes nothing.
    public func setEventTargets(_ targets: EventTargets) async throws {
        if let webhook = targets.webhook {
            guard webhook.url.hasPrefix("http://") || webhook.url.hasPrefix("https://") else {
                throw AgentError.invalidEventTarget("the webhook needs an http:// or https:// URL, not \(webhook.url)")
            }
            guard webhook.timeout > 0 else {
                throw AgentError.invalidEventTarget("the webhook's timeout must be positive")
            }
            if let caFile = webhook.caFile, !FileManager.default.isReadableFile(atPath: caFile) {
                throw AgentError.invalidEventTarget("the webhook's CA file \(caFile) cannot be read")
            }
        }
        if let exec = targets.exec {
            guard !exec.command.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw AgentError.invalidEventTarget("--exec needs a command")
            }
            guard exec.timeout > 0 else {
                throw AgentError.invalidEventTarget("the command's timeout must be positive")
            }
        }
        try RememberedEventTargets.remember(targets, stateDirectory: configuration.stateDirectory)
        try await keepEvents(for: targets)
    }

    /// Makes the store keep events for the remembered targets (a store made after they were set
    /// catches up here).
    public func keepEventsForRememberedTargets() async throws {
        try await keepEvents(for: try eventTargets())
    }

    private func keepEvents(for targets: EventTargets) async throws {
        for name in [EventTargetName.webhook, .exec] {
            if targets.names.contains(name) {
                try await store.addEventTarget(name)
            } else {
                try await store.removeEventTarget(name)
            }
        }
    }

    /// A deliverer to the remembered targets.
    public func eventDeliverer(policy: DeliveryPolicy = DeliveryPolicy()) throws -> EventDeliverer {
        let targets = try eventTargets()
        var senders: [any EventSender] = []
        if let webhook = targets.webhook {
            senders.append(WebhookSender(webhook, userAgent: configuration.userAgent, now: now))
        }
        if let exec = targets.exec { senders.append(CommandSender(exec)) }
        return EventDeliverer(store: store, senders: senders, policy: policy, now: now, logger: logger)
    }

    /// Delivers what the outbox holds, retrying failures for at most `maxWait` seconds.
    public func deliverEvents(maxWait: Double) async throws -> DeliveryReport {
        try await eventDeliverer().deliver(until: now().addingTimeInterval(maxWait))
    }

    /// Sends every dead letter once more.
    public func retryDeadLetters() async throws -> DeliveryReport {
        try await eventDeliverer().retryDeadLetters()
    }

    /// Hands `emit` the events `events --follow` has not had, in order, each noted as had once
    /// `emit` returns; starts after event `eventID` when given. With `follow`, waits for new
    /// events (looking every `pollInterval` seconds) until cancelled.
    public func followEvents(
        from eventID: String? = nil, follow: Bool, pollInterval: Double = 0.5,
        emit: @Sendable (OutboxEvent) throws -> Void
    ) async throws {
        var position: Int64
        if let eventID {
            guard let sequence = try await store.sequence(ofEvent: eventID) else {
                throw AgentError.unknownEvent(eventID)
            }
            position = sequence
            try await store.addEventTarget(.follow)
        } else {
            try await store.addEventTarget(.follow)
            position = try await store.delivery(of: .follow)?.deliveredThrough ?? 0
        }
        while !Task.isCancelled {
            let events = try await store.events(after: position)
            for event in events {
                try emit(event)
                try await store.markDelivered(event, to: .follow, at: now())
                position = event.sequence
            }
            guard events.isEmpty else { continue }
            guard follow else { return }
            try await Task.sleep(for: .seconds(pollInterval))
        }
    }

    /// Stops keeping events for `events --follow`.
    public func unfollowEvents() async throws {
        try await store.removeEventTarget(.follow)
    }
}
