import DEPSync
import DEPWire
import Foundation
import Testing

/// How `DEPClientError` types the service's refusals (dep-api §6): Apple's plain-text codes,
/// depsim's quoted ones, server failures, throttling and the rest; which errors are transient;
/// and that every error describes itself in one line.
@Suite struct DEPClientErrorTests {
    /// Sends a sync with retries off, the service answering `reply`.
    private func syncError(_ reply: ScriptedReply) async throws -> DEPClientError? {
        let scripted = ScriptedClient(retry: .never)
        await scripted.transport.answer("/devices/sync", always: reply)
        return await #expect(throws: DEPClientError.self) {
            try await scripted.client.syncDevices(cursor: "c1", limit: 100)
        }
    }

    /// Whether `text` has no line break of any kind.
    private func isOneLine(_ text: String) -> Bool { !text.contains(where: \.isNewline) }

    @Test(arguments: [
        "INVALID_CURSOR", "\"INVALID_CURSOR\"", "INVALID_CURSOR\r\n", "\"INVALID_CURSOR\"\r\n", "  INVALID_CURSOR\n",
    ])
    func cursorCodesAreReadPlainOrQuoted(body: String) async throws {
        let error = try await syncError(.status(400, body))
        #expect(error?.kind == .cursor(.invalidCursor))
        #expect(error?.isTransient == false)
    }

    @Test(arguments: [DEPErrorCode.cursorRequired, .invalidCursor, .exhaustedCursor, .expiredCursor])
    func everyCursorCodeIsACursorError(code: DEPErrorCode) async throws {
        let error = try await syncError(.status(400, code.rawValue))
        #expect(error?.kind == .cursor(code))
    }

    @Test(arguments: [500, 502, 503, 504])
    func serverFailuresAreTransient(status: Int) async throws {
        let error = try await syncError(.status(status, "Internal Server Error"))
        #expect(error?.kind == .serverError(status: status, retryAfter: nil))
        #expect(error?.isTransient == true)
    }

    @Test func throttlingCarriesTheRetryAfterSeconds() async throws {
        let error = try await syncError(.status(429, "TOO_MANY_REQUESTS", headers: [("Retry-After", "7")]))
        #expect(error?.kind == .throttled(retryAfter: 7))
        #expect(error?.isTransient == true)
        #expect(error?.retryAfter == 7)
    }

    @Test func throttlingWithoutRetryAfterSaysNoDelay() async throws {
        let error = try await syncError(.status(429, "TOO_MANY_REQUESTS"))
        #expect(error?.kind == .throttled(retryAfter: nil))
        #expect(error?.retryAfter == nil)
    }

    @Test func aServerFailureCarriesItsRetryAfter() async throws {
        let error = try await syncError(.status(503, "", headers: [("retry-after", "12")]))
        #expect(error?.kind == .serverError(status: 503, retryAfter: 12))
    }

    @Test(arguments: [
        (404, "NOT_FOUND", DEPErrorCode.notFound), (404, "", nil), (405, "", nil),
        (400, "MALFORMED_REQUEST_BODY", .malformedRequestBody), (400, "USER_AGENT_INVALID", .userAgentInvalid),
        (403, "APPLE_SEED_FOR_IT_TURNED_OFF", .appleSeedForITTurnedOff),
    ])
    func otherRefusalsAreRefusedAndFinal(status: Int, body: String, code: DEPErrorCode?) async throws {
        let error = try await syncError(.status(status, body))
        #expect(error?.kind == .refused(status: status, code: code))
        #expect(error?.isTransient == false)
        #expect(error?.retryAfter == nil)
    }

    @Test func aPageThatIsNotJSONIsMalformed() async throws {
        let error = try await syncError(.status(200, "<html>maintenance</html>"))
        #expect(error?.kind == .malformedResponse(path: "/devices/sync"))
        #expect(error?.isTransient == false)
    }

    @Test func networkErrorsAreTransientOnlyWhenTheTransportSaysSo() {
        let timeout = TransportError(code: 28, message: "Timeout was reached", isTransient: true)
        let certificate = TransportError(code: 60, message: "SSL peer certificate was not OK", isTransient: false)
        #expect(DEPClientError.network(timeout).isTransient)
        #expect(!DEPClientError.network(certificate).isTransient)
        #expect(!DEPClientError.network(.cancelled).isTransient)
    }

    @Test(arguments: [
        DEPClientError.termsNotSigned, .accessDenied,
        .tokenRejected(DEPError(status: 401, body: "oauth_problem=token_rejected")),
        .tokenExpired(ScriptedClient.now), .cursor(.expiredCursor), .throttled(retryAfter: nil),
        .throttled(retryAfter: 7.2), .serverError(DEPError(status: 500, body: "Internal Server Error"), retryAfter: 30),
        .serverError(DEPError(status: 502), retryAfter: nil),
        .network(TransportError(code: 7, message: "Couldn't connect to server", isTransient: true)),
        .network(.cancelled), .unauthorized(DEPError(.unauthorized)), .refused(DEPError(status: 405)),
        .refused(DEPError(.notFound)), .malformedResponse(path: "/account", reason: "the key server_name is a number"),
        .oversizedResponse(path: "/server/devices", limit: 32 << 20),
        .redirected(path: "/session", status: 302, location: "https://elsewhere.example/session"),
        .redirected(path: "/account", status: 301, location: nil),
    ])
    func everyErrorDescribesItselfInOneLine(error: DEPClientError) {
        #expect(!error.description.isEmpty)
        #expect(isOneLine(error.description))
    }

    @Test func theWaitAskedForIsRoundedUpInTheDescription() {
        #expect(DEPClientError.throttled(retryAfter: 7.2).description.contains("asking to wait 8 s"))
        #expect(!DEPClientError.throttled(retryAfter: nil).description.contains("asking to wait"))
    }

    @Test func refusalsNameTheCodeAndAdviseWhatToDo() {
        #expect(DEPClientError.termsNotSigned.description.hasPrefix("T_C_NOT_SIGNED"))
        #expect(DEPClientError.accessDenied.description.hasPrefix("ACCESS_DENIED"))
        #expect(DEPClientError.cursor(.expiredCursor).description.contains("EXPIRED_CURSOR"))
        #expect(DEPClientError.tokenExpired(ScriptedClient.now).description.contains("2025-06-15T15:06:40Z"))
        #expect(DEPClientError.tokenExpired(ScriptedClient.now).description.contains("depsync token import"))
    }

    @Test func anErrorPageSpanningLinesStillDescribesItselfInOneLine() async throws {
        let page = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>nginx</body>\r\n</html>\r\n"
        let error = try #require(try await syncError(.status(502, page)))
        #expect(error.kind == .serverError(status: 502, retryAfter: nil))
        #expect(isOneLine(error.description))
    }

    @Test func aMalformedAnswerDescribesItselfInOneLine() async throws {
        let error = try #require(try await syncError(.status(200, #"{"devices": "not a list"}"#)))
        #expect(error.kind == .malformedResponse(path: "/devices/sync"))
        #expect(isOneLine(error.description))
    }

    @Test(arguments: [Double.infinity, 1e19, 9.3e18, Double(Int.max), 3600.5, -1, .nan])
    func anyWaitIsDescribedWithoutTrapping(seconds: Double) {
        let throttled = DEPClientError.throttled(retryAfter: seconds).description
        let failed = DEPClientError.serverError(DEPError(status: 503, body: ""), retryAfter: seconds).description

        let hint = seconds > 3600 ? ", asking to wait more than an hour" : ""
        #expect(throttled == "the DEP service is throttling requests (429)\(hint); try again later")
        #expect(failed.hasSuffix("\(hint); try again later"))
    }

    @Test func whatTheServiceWroteIsShownWithItsControlCharactersEscaped() async throws {
        let error = try await syncError(.status(400, "BAD\u{1B}[2J\u{7}"))
        let text = error?.description ?? ""
        #expect(text.contains(#"BAD\e[2J\u{7}"#))
        #expect(!text.contains("\u{1B}"))
    }
}
