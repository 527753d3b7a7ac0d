import DEPWire
import Foundation
import Hummingbird

/// A world's virtual clock under `/_fakedep/worlds/{id}/clock`: read it, move it forward
/// (`advance` by an ISO 8601 duration or seconds, `PUT` to a time), freeze and unfreeze it.
/// Moves answer the world's new time and what became due on the way. Refusals are JSON, as on
/// the portal, and change nothing.
struct ClockRoutes {
    let worlds: WorldRegistry

    func add(to router: Router<FakeDEPContext>) {
        let clock = router.group("/_fakedep/worlds/:world/clock")
        clock.get { _, context in try PortalRoutes.json(try world(context).clockReading()) }
        clock.put { request, context in
            let world = try world(context)
            let body = try await PortalRoutes.body(ClockTime.self, of: request)
            return try PortalRoutes.json(try await world.setClock(to: try body.date))
        }
        clock.post("advance") { request, context in
            let world = try world(context)
            let body = try await PortalRoutes.body(ClockStep.self, of: request)
            return try PortalRoutes.json(try await world.advanceClock(by: try body.by.seconds))
        }
        clock.post("freeze") { _, context in try PortalRoutes.json(try await world(context).freezeClock()) }
        clock.post("unfreeze") { _, context in try PortalRoutes.json(try await world(context).unfreezeClock()) }
    }

    private func world(_ context: FakeDEPContext) throws -> World {
        try worlds.world(try context.parameters.require("world"))
    }
}

/// `PUT …/clock`: `{"now": "2027-06-01T00:00:00Z"}`.
struct ClockTime: Decodable {
    var now: String

    var date: Date {
        get throws {
            guard let date = DEPDate.parse(now) else {
                throw PortalError(
                    .invalidRequest,
                    "\"\(now.escapingControlCharacters)\" is not an RFC 3339 date-time such as 2027-06-01T00:00:00Z.")
            }
            return date
        }
    }
}

/// `POST …/clock/advance`: `{"by": "P7DT1S"}` or `{"by": 604801}` (seconds).
struct ClockStep: Decodable {
    var by: Amount

    /// An ISO 8601 duration or a number of seconds.
    enum Amount: Decodable {
        case duration(String)
        case seconds(Double)

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let seconds = try? container.decode(Double.self) {
                self = .seconds(seconds)
            } else {
                self = .duration(try container.decode(String.self))
            }
        }

        var seconds: TimeInterval {
            get throws {
                switch self {
                case .seconds(let seconds):
                    guard seconds >= 0 else {
                        throw PortalError(
                            .clockBackwards,
                            "A world's clock only moves forward: advance it by zero seconds or more, not \(seconds).")
                    }
                    return seconds
                case .duration(let text):
                    if let seconds = ISODuration.seconds(text) { return seconds }
                    if text.hasPrefix("-") {
                        throw PortalError(
                            .clockBackwards, "A world's clock only moves forward: give a duration without a sign.")
                    }
                    throw PortalError(
                        .invalidDuration,
                        "\"\(text.escapingControlCharacters)\" is not an ISO 8601 duration: write PnYnMnWnDTnHnMnS "
                            + "(such as P7DT1S or PT90M; a year counts 365 days, a month 30) or a number of seconds.")
                }
            }
        }
    }
}
