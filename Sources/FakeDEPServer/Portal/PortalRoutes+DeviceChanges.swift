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

extension PortalRoutes {
    /// Changes to one device an administrator or Apple makes: an AppleCare replacement and a
    /// managed-migration deadline.
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
    }

    /// The `:serial` path parameter, percent-decoded.
    static func serial(_ context: FakeDEPContext) throws -> String {
        let raw = try context.parameters.require("serial")
        return raw.removingPercentEncoding ?? raw
    }
}
