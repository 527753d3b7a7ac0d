import DEPWire
import Foundation
import Hummingbird

extension WebRoutes {
    /// The API accounts of the ABM API: who may call it, and revoking them.
    struct APIAccountsPage {
        struct Row {
            let name: String
            let clientID: String
            /// The client id as the revoke route's path takes it.
            let path: String
            let keyID: String
            let service: String
            let scope: String
            let created: String
            let revoked: String?
        }

        let accounts: [Row]
        let services: [WebOption]
        let keyFormats: [WebOption]
    }

    func addAPIAccountPages(to router: Router<FakeDEPContext>) {
        router.get("/web/api-accounts") { _, context in
            try await page("api-accounts", "API accounts", .apiAccounts, context) {
                APIAccountsPage(
                    accounts: try await context.world.listAPIAccounts().map { account in
                        APIAccountsPage.Row(
                            name: account.name, clientID: account.clientID, path: WebFormat.segment(account.clientID),
                            keyID: account.keyID, service: account.service.rawValue, scope: account.scope,
                            created: WebFormat.time(account.created), revoked: account.revoked.map(WebFormat.time))
                    },
                    services: ABMService.allCases.map {
                        WebOption(value: $0.rawValue, label: $0.rawValue, selected: $0 == .business)
                    },
                    keyFormats: APIAccountKeyFormat.allCases.map {
                        WebOption(value: $0.rawValue, label: $0.rawValue, selected: $0 == .apple)
                    })
            }
        }
    }
}
