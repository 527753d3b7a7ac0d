import DEPWire
import Foundation
import Hummingbird

extension WebRoutes {
    /// What the test control page shows: every world, this world's clock and fault rules, and
    /// what its journal has counted.
    struct ControlPage {
        struct ScenarioOption {
            let name: String
            let description: String
            /// The shipped document, sent as the new world's `scenario`.
            let document: String
        }

        struct Clock {
            let now: String
            let offset: String
            let frozen: Bool
        }

        struct JournalCounts {
            let operations: [OperationCount]
        }

        struct OperationCount {
            let operation: String
            let count: String
            let href: String
        }

        let worlds: [WorldRow]
        let scenarios: [ScenarioOption]
        let clock: Clock
        let faults: [FaultRow]
        let hasFaults: Bool
        /// The journal's vocabulary, for a rule's operation.
        let operations: [String]
        let misbehaviours: [String]
        let deviceResults: [String]
        /// What the journal counted per operation; nil when the server keeps no journal.
        let journal: JournalCounts?
    }

    func addControlPages(to router: Router<FakeDEPContext>) {
        router.get("/web/control") { _, context in
            try await page("control", "Test control", .control, context) { try controlPage(context) }
        }
        addJournalPage(to: router)
    }

    private func controlPage(_ context: FakeDEPContext) throws -> ControlPage {
        let world = try context.world
        let id = WebPage.worldID(context)
        let base = context.webBase ?? ""
        let reading = world.clockReading()
        let faults = world.faults.list(at: world.clock.now)
        let counters = try? worlds.journal(id).counters
        return ControlPage(
            worlds: worlds.list().map { WorldRow($0, currentID: id) },
            scenarios: Self.shippedScenarios,
            clock: ControlPage.Clock(
                now: WebFormat.moment(reading.now),
                offset: (reading.offsetSeconds < 0 ? "" : "+") + WebFormat.span(reading.offsetSeconds),
                frozen: reading.frozen),
            faults: faults.map(FaultRow.init), hasFaults: !faults.isEmpty,
            operations: JournalOperation.all.sorted(),
            misbehaviours: Misbehaviour.allCases.map(\.rawValue),
            deviceResults: FaultAction.deviceResults.map(\.rawValue),
            journal: counters.map { counters in
                ControlPage.JournalCounts(
                    operations: counters.sorted { $0.key < $1.key }.map {
                        ControlPage.OperationCount(
                            operation: $0.key, count: WebFormat.count($0.value),
                            href: base + "/web/control/journal?operation=" + WebFormat.segment($0.key))
                    })
            })
    }

    /// The scenarios fakedep ships, each with its document, read once.
    private static let shippedScenarios: [ControlPage.ScenarioOption] = Scenario.shippedNames.compactMap { name in
        guard let data = try? MockData.file("scenarios/\(name).json"),
            let document = String(data: data, encoding: .utf8)
        else { return nil }
        let description = (try? JSONSerialization.jsonObject(with: data) as? [String: Any])?["description"]
        return ControlPage.ScenarioOption(name: name, description: description as? String ?? "", document: document)
    }
}
