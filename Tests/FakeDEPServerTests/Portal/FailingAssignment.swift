import Testing

/// Requests the portal refuses, each of which would otherwise have moved devices.
enum FailingAssignment: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case serialsToAnUnknownServer, orderToAnUnknownServer, csvToAnUnknownServer, unknownOrder, zeroCount
    case serialsAndOrder, unassignWithoutSerials, releaseWithoutSerials

    var testDescription: String { rawValue }

    /// The HTTP status of the refusal.
    var status: Int {
        switch self {
        case .serialsToAnUnknownServer, .orderToAnUnknownServer, .csvToAnUnknownServer, .unknownOrder: 404
        default: 400
        }
    }

    /// The portal's error code.
    var code: String {
        switch self {
        case .serialsToAnUnknownServer, .orderToAnUnknownServer, .csvToAnUnknownServer: "NOT_FOUND"
        case .unknownOrder: "UNKNOWN_ORDER"
        default: "INVALID_REQUEST"
        }
    }

    /// The request, about the organisation's `serials` and one of its orders.
    func call(serials: [String], order: String) -> (method: String, path: String, body: String) {
        let list = #"["\#(serials[0])","\#(serials[5])"]"#
        return switch self {
        case .serialsToAnUnknownServer: ("POST", "/servers/Nobody/devices", #"{"serials":\#(list)}"#)
        case .orderToAnUnknownServer: ("POST", "/servers/Nobody/devices", #"{"order":"\#(order)"}"#)
        case .csvToAnUnknownServer: ("POST", "/servers/Nobody/devices/csv", "\(serials[0])\r\n\(serials[5])\r\n")
        case .unknownOrder: ("POST", "/servers/Target/devices", #"{"order":"NO-SUCH-ORDER"}"#)
        case .zeroCount: ("POST", "/servers/Target/devices", #"{"order":"\#(order)","count":0}"#)
        case .serialsAndOrder: ("POST", "/servers/Target/devices", #"{"serials":\#(list),"order":"\#(order)"}"#)
        case .unassignWithoutSerials: ("POST", "/devices/unassign", #"{"serial":\#(list)}"#)
        case .releaseWithoutSerials: ("POST", "/devices/release", #"{"serials":"\#(serials[0])"}"#)
        }
    }
}
