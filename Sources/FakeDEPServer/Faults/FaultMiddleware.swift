import DEPWire
import Foundation
import Hummingbird
import Synchronization

/// Lets a world's fault rules act on its requests (not on the control surface's): the first
/// rule that fires answers in the request's place or delays it, and the request's journal entry
/// names it.
struct FaultMiddleware: RouterMiddleware {
    typealias Context = FakeDEPContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard let world = context.selectedWorld, !request.uri.path.hasPrefix("/_fakedep/"), context.webBase == nil
        else {
            return try await next(request, context)
        }
        let now = world.clock.now
        let operation = JournalOperation.name(method: request.method.rawValue, endpoint: context.endpointPath)
        let server =
            world.faults.namesServers(at: now)
            ? await JournalMiddleware.server(of: request, context: context, world: world) : nil
        let fired = world.faults.fire(operation: operation, server: server, method: request.method.rawValue, at: now)
        if operation == "fetch_devices" || operation == "sync_devices", world.faults.lingering.isActive {
            let (request, cursor) = try await PageRewrite.cursor(of: request)
            let response = try await act(fired, request, context, world, next)
            return try await world.faults.lingering.apply(to: response, cursor: cursor)
        }
        return try await act(fired, request, context, world, next)
    }

    /// The answer `fired` gives in place of (or around) the usual one.
    private func act(
        _ fired: FiredFault?, _ request: Request, _ context: Context, _ world: World,
        _ next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let fired else { return try await next(request, context) }
        FaultNote.current?.record(fired.journalName)
        switch fired.action {
        case .error(let status, let code, let retryAfter):
            var response = Self.errorResponse(status: status, code: code, rule: fired.id, to: request)
            if let retryAfter { response.headers[.retryAfter] = retryAfter }
            return response
        case .latency(let milliseconds, _):
            try await Task.sleep(for: .milliseconds(milliseconds + fired.jitterMilliseconds))
            return try await next(request, context)
        case .devices(let result, let retryAfterSeconds):
            let fault = DeviceFault(serial: fired.serial, result: result, retryAfterSeconds: retryAfterSeconds)
            return try await DeviceFault.$current.withValue(fault) { try await next(request, context) }
        case .transport(let transport):
            let sent = try await transport.perform(on: context.channel) { try await next(request, context) }
            FaultNote.current?.connectionEnded(sent)
            // The connection is gone; Hummingbird's attempt to write this one fails quietly.
            return Response(status: .init(code: max(sent.status, 200)))
        case .misbehaviour(let misbehaviour):
            return try await misbehaviour.perform(request, world: world) { try await next($0, context) }
        }
    }
}

extension FaultMiddleware {
    /// A fault's error in the shape of the surface it answers for: Apple's `ErrorResponse` on the
    /// ABM API, RFC 6749 JSON on its token endpoint, the portal's JSON, or DEP's bare code.
    static func errorResponse(status: Int, code: String, rule: String, to request: Request) -> Response {
        let message = "Fault rule \(rule) answered in this request's place."
        if ErrorResponse.isABM(request.uri.path) {
            return ErrorResponse.response(abmError(status: status, code: code, rule: rule))
        }
        if TokenRoutes.paths.contains(request.uri.path) {
            return TokenRoutes.response(TokenRefusal(oauthCode(status: status, code: code), message, status: status))
        }
        if ErrorMiddleware<Context>.isPortal(request) {
            return ErrorMiddleware<Context>.json(code: code, message: message, status: status)
        }
        return ErrorMiddleware<Context>.plain(code, status: status)
    }

    /// RFC 6749's code for a fault on the token endpoint, unless the rule named a code of its own:
    /// 401 is a client that failed to authenticate; a server's own trouble is `server_error`
    /// or, when it asks to come back, `temporarily_unavailable`; the rest `invalid_request`.
    private static func oauthCode(status: Int, code: String) -> OAuth2Error.Code {
        guard code == FaultAction.defaultCode(for: status) else { return OAuth2Error.Code(rawValue: code) }
        switch status {
        case 401: return .invalidClient
        case 503: return OAuth2Error.Code(rawValue: "temporarily_unavailable")
        case 500...: return OAuth2Error.Code(rawValue: "server_error")
        default: return .invalidRequest
        }
    }

    /// A fault's error on the ABM API: its `ErrorResponse`, with the API's code for the status
    /// unless the rule named a code of its own.
    static func abmError(status: Int, code: String, rule: String) -> ABMError {
        var error = ABMError.generic(status: status, detail: "Fault rule \(rule) answered in this request's place.")
        if code != FaultAction.defaultCode(for: status) { error.code = code }
        return error
    }
}

/// The faults that fired for the request being journaled, for its entry.
final class FaultNote: Sendable {
    @TaskLocal static var current: FaultNote?

    private let names = Mutex<[String]>([])
    private let ended = Mutex<SentAnswer?>(nil)

    func record(_ name: String) { names.withLock { $0.append(name) } }

    /// Notes that a transport fault ended the connection after sending `sent`.
    func connectionEnded(_ sent: SentAnswer) { ended.withLock { $0 = sent } }

    /// What went out before a transport fault ended the connection, if one did.
    var endedAfter: SentAnswer? { ended.withLock { $0 } }

    /// What fired, `nil` for nothing.
    var text: String? {
        let names = names.withLock { $0 }
        return names.isEmpty ? nil : names.joined(separator: "; ")
    }
}
