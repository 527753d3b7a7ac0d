import DEPWire
import Foundation
import Hummingbird

/// `POST /portal/devices/:serial/replace`: the new device's serial, and optionally its
/// identifiers (the others are made like the old device's).
struct ReplacementRequest: Decodable {
    var serial: String
    var identifiers: DeviceIdentifiers

    enum CodingKeys: String, CodingKey { case serial }

    init(from decoder: any Decoder) throws {
        serial = try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .serial)
        identifiers = try DeviceIdentifiers(from: decoder)
    }
}

/// `PUT /portal/devices/:serial/migration-deadline`: `{"deadline": DATE}`, or `null` to clear it.
struct MigrationDeadlineRequest: Decodable {
    var deadline: Date?

    enum CodingKeys: String, CodingKey { case deadline }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        // The key is required: leaving it out is more likely a mistake than a wish to clear.
        guard container.contains(.deadline) else {
            throw PortalError(
                .invalidRequest, "Send {\"deadline\": \"2027-01-31T00:00:00Z\"}, or {\"deadline\": null} to clear it.")
        }
        guard
            let text = try container.decodeNil(forKey: .deadline)
                ? nil : container.decode(String.self, forKey: .deadline)
        else { return }
        // A day alone is midnight UTC, as the portal's date picker gives it.
        guard let date = DEPDate.parse(text) ?? DEPDate.parseDay(text) else {
            throw PortalError(
                .invalidRequest,
                "\"\(text.escapingControlCharacters)\" is not a date: use RFC 3339 (2027-01-31T00:00:00Z) or a day (2027-01-31)."
            )
        }
        deadline = date
    }
}

/// `PUT /portal/devices/:serial/cooldown`: `{"for": "PT6H"}` (an ISO 8601 duration) or
/// `{"for": 21600}` (seconds); an empty body, or one without `for`, is a day.
struct CooldownRequest: Decodable {
    var duration = World.defaultCooldown

    enum CodingKeys: String, CodingKey { case duration = "for" }

    init(from decoder: any Decoder) throws {
        // Strict: a misspelt field would otherwise quietly give a day.
        let fields = try decoder.container(keyedBy: AnyKey.self)
        if let unknown = fields.allKeys.first(where: { $0.stringValue != CodingKeys.duration.rawValue }) {
            throw PortalError(
                .invalidRequest,
                "A cooldown has one field, \"for\"; not \"\(unknown.stringValue.escapingControlCharacters)\".")
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guard container.contains(.duration) else { return }
        let text = try? container.decode(String.self, forKey: .duration)
        guard
            let seconds = text.map({ ISODuration.seconds($0) })
                ?? (try? container.decode(Double.self, forKey: .duration))
        else {
            throw PortalError(
                .invalidRequest,
                "\"for\" is an ISO 8601 duration (\"P1D\", \"PT6H\") or a number of seconds"
                    + (text.map { ", not \"\($0.escapingControlCharacters)\"." } ?? "."))
        }
        duration = seconds
    }
}

extension PortalRoutes {
    /// Changes to one device an administrator or Apple makes: an AppleCare replacement, a
    /// managed-migration deadline, and Apple's cooldown after an assignment change.
    func addDeviceChangeRoutes(to portal: RouterGroup<FakeDEPContext>) {
        portal.post("devices/:serial/replace") { request, context in
            let body = try await Self.body(ReplacementRequest.self, of: request)
            return try Self.json(
                try await context.world.replaceDevice(
                    try Self.serial(context), with: body.serial, identifiers: body.identifiers))
        }
        portal.put("devices/:serial/migration-deadline") { request, context in
            let body = try await Self.body(MigrationDeadlineRequest.self, of: request)
            return try Self.json(
                try await context.world.setMigrationDeadline(try Self.serial(context), to: body.deadline))
        }
        portal.put("devices/:serial/cooldown") { request, context in
            let body = try await Self.body(CooldownRequest.self, of: request, emptyIsObject: true)
            return try Self.json(try await context.world.startCooldown(try Self.serial(context), for: body.duration))
        }
        portal.delete("devices/:serial/cooldown") { _, context in
            try await context.world.endCooldown(try Self.serial(context))
            return Response(status: .noContent)
        }
    }

    /// The `:serial` path parameter, percent-decoded.
    static func serial(_ context: FakeDEPContext) throws -> String {
        let raw = try context.parameters.require("serial")
        return raw.removingPercentEncoding ?? raw
    }
}
