import Foundation
import Hummingbird

extension WebRoutes {
    /// What the journal page shows: the filter, and the newest matching entries first.
    struct JournalView {
        struct Choice {
            let value: String
            let selected: Bool
        }

        let operations: [Choice]
        let filterStatus: String
        let filterServer: String
        /// The world's servers, offered for the server filter.
        let servers: [String]
        let entries: [JournalRow]
        let shown: String
        let matching: String
        /// The newest entry's number: `journal.js` waits for those after it.
        let after: Int
        /// The operation filtered on, for `journal.js` (empty for any).
        let filterOperation: String
    }

    /// The most entries the page shows; `journal.js` keeps to the same.
    static let journalRows = 200

    func addJournalPage(to router: Router<FakeDEPContext>) {
        router.get("/web/control/journal") { request, context in
            try await page("journal", "Journal", .control, context) {
                let world = try context.world
                let journal = try worlds.journal(WebPage.worldID(context))
                let query = request.uri.queryParameters
                // A filter form sends its empty fields too: empty means any.
                func value(_ name: String) -> String? { query.get(name).flatMap { $0.isEmpty ? nil : $0 } }
                let filter = JournalFilter(
                    operation: value("operation"), status: value("status"), server: value("server"))
                try filter.validate()
                let entries = journal.entries(filter, limit: Self.journalRows)
                return JournalView(
                    operations: JournalOperation.all.sorted().map {
                        JournalView.Choice(value: $0, selected: $0 == filter.operation)
                    },
                    filterStatus: filter.status ?? "", filterServer: filter.server ?? "",
                    servers: try await world.listServers().map(\.name),
                    entries: entries.reversed().map(JournalRow.init),
                    shown: WebFormat.count(entries.count), matching: WebFormat.count(journal.count(filter)),
                    after: entries.last?.seq ?? 0, filterOperation: filter.operation ?? "")
            }
        }
    }
}
