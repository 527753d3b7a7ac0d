/// Where events go besides `depsync events --follow`: a webhook, a command, both or neither.
public struct EventTargets: Sendable, Hashable, Codable {
    public var webhook: WebhookTarget?
    public var exec: CommandTarget?

    public init(webhook: WebhookTarget? = nil, exec: CommandTarget? = nil) {
        self.webhook = webhook
        self.exec = exec
    }

    /// The targets set, by name.
    public var names: Set<EventTargetName> {
        var names: Set<EventTargetName> = []
        if webhook != nil { names.insert(.webhook) }
        if exec != nil { names.insert(.exec) }
        return names
    }
}

/// An HTTP receiver of events: each is POSTed as JSON.
public struct WebhookTarget: Sendable, Hashable, Codable {
    /// The header carrying `sha256=` and the hex HMAC-SHA256 of the body under the secret.
    public static let signatureHeader = "X-DEPSync-Signature"
    /// The header carrying the event's id, for receivers that drop what they already have.
    public static let eventIDHeader = "X-DEPSync-Event-ID"
    /// The header carrying the event's topic.
    public static let topicHeader = "X-DEPSync-Topic"

    public var url: String
    /// The key of the signature header; no header without it.
    public var secret: String?
    /// Seconds allowed for one post, connection included.
    public var timeout: Double
    /// A PEM file of certificate authorities to trust for an https:// receiver.
    public var caFile: String?

    public init(url: String, secret: String? = nil, timeout: Double = 30, caFile: String? = nil) {
        self.url = url
        self.secret = secret
        self.timeout = timeout
        self.caFile = caFile
    }
}

/// A command given each event as JSON on its standard input, run by `/bin/sh -c`.
public struct CommandTarget: Sendable, Hashable, Codable {
    /// The exit status (sysexits' `EX_TEMPFAIL`) by which a command says "try again later":
    /// the try does not count towards the dead letters.
    public static let temporaryFailure: Int32 = 75

    public var command: String
    /// Seconds the command may run before it is killed and the try counts as failed.
    public var timeout: Double

    public init(command: String, timeout: Double = 60) {
        self.command = command
        self.timeout = timeout
    }
}
