public import Hummingbird
import NIOCore

/// A request's context: Hummingbird's, and the world the request acts on, chosen before routing
/// by `WorldSelection` from its credentials or its `/_fakedep/worlds/{id}/` prefix.
public struct FakeDEPContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set for every request before it is routed.
    var selectedWorld: World?
    /// The journal of the selected world, for requests to a world (not to the control surface).
    var selectedJournal: Journal?
    /// The API account a `/v1/` request acts as, set by `ABMAccessMiddleware` once its bearer
    /// token checked out; `nil` on every other route.
    public internal(set) var abmAccess: ABMAccess?
    /// The path and query as the client sent them, before a world's prefix was taken off.
    var clientPath: String?
    /// For a web portal page or asset, the prefix of its world's pages (`""` for the default
    /// world, `/_fakedep/worlds/{id}` for another); `nil` for every other request.
    var webBase: String?
    /// Whether the request carries the session cookie of a server's admin token: the pages then
    /// offer to sign out.
    var isSignedIn = false
    /// The connection, for the transport faults that end it their own way.
    let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }

    /// The world the request acts on.
    var world: World {
        get throws {
            guard let selectedWorld else { throw PortalError(.notFound, "The request reached no world.") }
            return selectedWorld
        }
    }

    /// The API account of a `/v1/` request; a route behind `ABMAccessMiddleware` always has one.
    func requireABMAccess() throws -> ABMAccess {
        guard let abmAccess else {
            throw ABMError.generic(status: 401, detail: "The request carries no access token.")
        }
        return abmAccess
    }
}
