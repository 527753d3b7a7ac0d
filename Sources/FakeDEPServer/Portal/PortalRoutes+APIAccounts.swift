import DEPWire
import Foundation
import Hummingbird

/// `POST /portal/api-accounts`: a name, the service (`business` by default) and the form of the
/// private key handed back (`apple`, Apple's mislabelled PEM, by default; or `pkcs8`).
struct NewAPIAccount: Decodable {
    var name: String
    var service: ABMService?
    var keyFormat: APIAccountKeyFormat?

    enum CodingKeys: String, CodingKey {
        case name, service, keyFormat = "key_format"
    }
}

extension PortalRoutes {
    /// The API accounts of Apple's Business/School Manager API (peers §5.2): create one (its
    /// private key is in this answer only), list them (no keys), revoke one by client id.
    func addAPIAccountRoutes(to portal: RouterGroup<FakeDEPContext>) {
        portal.post("api-accounts") { request, context in
            let body = try await Self.body(NewAPIAccount.self, of: request)
            let created = try await context.world.createAPIAccount(
                name: body.name, service: body.service ?? .business, keyFormat: body.keyFormat ?? .apple)
            var response = try Self.json(created, status: .created)
            // The only copy of the key: nothing on the way may keep it.
            response.headers[.cacheControl] = "no-store"
            return response
        }
        portal.get("api-accounts") { _, context in try Self.json(try await context.world.listAPIAccounts()) }
        portal.delete("api-accounts/:clientID") { _, context in
            let raw = try context.parameters.require("clientID")
            try await context.world.revokeAPIAccount(raw.removingPercentEncoding ?? raw)
            return Response(status: .noContent)
        }
    }
}
