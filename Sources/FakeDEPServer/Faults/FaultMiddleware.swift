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
        guard let world = context.selectedWorld, !request.uri.path.hasPrefix("/_fakedep/") else {
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
            var response =
                ErrorResponse.isABM(request.uri.path)
                ? ErrorResponse.response(Self.abmError(status: status, code: code, rule: fired.id))
                : ErrorMiddleware<Context>.isPortal(request)
                    ? ErrorMiddleware<Context>.json(
                        code: code, message: "Fault rule \(fired.id) answered in this request's place.", status: status)
                    : ErrorMiddleware<Context>.plain(code, status: status)
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
