import DEPCrypto
import DEPWire
public import Foundation

/// Posts events to a webhook over the agent's HTTP transport: a 2xx answer delivers; no answer,
/// 5xx, 408 or 429 is a failure to retry; any other answer is a refusal.
public struct WebhookSender: EventSender {
    public let target = EventTargetName.webhook
    let webhook: WebhookTarget
    let transport: any HTTPTransport
    let now: @Sendable () -> Date

    /// A sender over `transport`, by default libcurl with the webhook's timeout and CA file.
    public init(
        _ webhook: WebhookTarget, transport: (any HTTPTransport)? = nil, userAgent: String,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.webhook = webhook
        var options = TransportOptions()
        options.totalTimeout = webhook.timeout
        options.connectTimeout = min(options.connectTimeout, webhook.timeout)
        options.caFile = webhook.caFile
        // A receiver's answer is read only for its status: a small limit keeps a hostile one cheap.
        options.maximumResponseSize = 1 << 20
        self.transport = transport ?? HTTPClient(userAgent: userAgent, options: options)
        self.now = now
    }

    /// The request that carries `event`.
    func request(for event: OutboxEvent) -> HTTPRequest {
        var headers: [(name: String, value: String)] = [
            ("Content-Type", "application/json"), (WebhookTarget.eventIDHeader, event.eventID),
            (WebhookTarget.topicHeader, event.topic),
        ]
        if let secret = webhook.secret {
            let code = HMACSHA256.hexAuthenticationCode(for: event.body, key: Array(secret.utf8))
            headers.append((WebhookTarget.signatureHeader, "sha256=\(code)"))
        }
        return HTTPRequest(method: "POST", url: webhook.url, headers: headers, body: event.body)
    }

    public func send(_ event: OutboxEvent) async -> DeliveryOutcome {
        let response: HTTPResponse
        do {
            response = try await transport.send(request(for: event))
        } catch {
            return .failed(reason: "\(error)", refused: false, retryAfter: nil)
        }
        if (200..<300).contains(response.status) { return .delivered }
        let retryAfter = RetryPolicy.retryAfterSeconds(response.header("Retry-After"), now: now())
        let busy = response.status >= 500 || response.status == 408 || response.status == 429
        let body = response.text.prefix(200).escapingControlCharacters
        return .failed(
            reason: "the webhook answered \(response.status)\(body.isEmpty ? "" : ": \(body)")", refused: !busy,
            retryAfter: retryAfter)
    }
}
