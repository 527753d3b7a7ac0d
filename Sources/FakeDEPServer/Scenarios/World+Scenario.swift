import DEPWire
import Foundation
import GRDB

extension World {
    /// Brings a world with an empty store to `scenario`, in its order: inventory, terms, token
    /// lifetime, servers and their devices, clock, faults. A step that fails is refused with the
    /// scenario's path to it; the caller drops the half-made world.
    func plant(_ scenario: Scenario) async throws {
        try await plant(scenario.inventory)
        if let termsSigned = scenario.termsSigned {
            _ = try await at("terms_signed") { try await changeOrganisation(termsSigned: termsSigned) }
        }
        if let lifetime = scenario.tokenLifetime {
            try await store.write { db in try World.setTokenLifetime(lifetime, db) }
        }
        for (index, server) in scenario.servers.enumerated() {
            let path = "servers[\(index)]"
            _ = try await at(path) {
                try await createServer(name: server.name, certificate: server.certificate, mayDisown: server.mayDisown)
            }
            guard let devices = server.devices else { continue }
            let serials =
                switch devices {
                case .count(let count): try await firstUnassigned(count, path: path + ".devices")
                case .serials(let serials): serials
                }
            let report = try await at(path + ".devices") { try await assign(serials: serials, to: server.name) }
            if let refused = report.rows.first(where: { ![.assigned, .moved, .alreadyAssigned].contains($0.outcome) }) {
                throw Scenario.invalid(
                    path + ".devices", "names \(refused.serial.escapingControlCharacters): \(refused.outcome.rawValue)")
            }
        }
        if let advance = scenario.clockAdvance {
            _ = try await at("clock.advance") { try await advanceClock(by: advance) }
        }
        if scenario.clockFrozen { _ = try await freezeClock() }
        for rule in scenario.faults { _ = faults.add(rule, at: clock.now) }
    }

    /// The first `count` unassigned devices, by serial.
    private func firstUnassigned(_ count: Int, path: String) async throws -> [String] {
        var serials: [String] = []
        var after: String?
        while serials.count < count {
            let page = try await listDevices(DeviceFilter(status: "unassigned"), limit: 1000, after: after)
            serials += page.devices.prefix(count - serials.count).map(\.serialNumber)
            guard let next = page.next else { break }
            after = next
        }
        guard serials.count == count else {
            throw Scenario.invalid(path, "asks for \(count) devices; the inventory has \(serials.count) unassigned")
        }
        return serials
    }

    /// `step`, its refusal told as the scenario's field at `path`.
    private func at<T>(_ path: String, _ step: () async throws -> T) async throws -> T {
        do {
            return try await step()
        } catch let error as PortalError {
            throw Scenario.invalid(path, "cannot be: \(error.message)")
        }
    }

    /// How long tokens downloaded in this world last, when a scenario says (one year otherwise).
    static func tokenLifetime(_ db: Database) throws -> TimeInterval? {
        try String.fetchOne(db, sql: "SELECT value FROM settings WHERE key = 'token-lifetime'").flatMap(Double.init)
    }

    static func setTokenLifetime(_ lifetime: TimeInterval, _ db: Database) throws {
        try db.execute(
            sql: "INSERT OR REPLACE INTO settings (key, value) VALUES ('token-lifetime', ?)",
            arguments: [String(lifetime)])
    }
}
