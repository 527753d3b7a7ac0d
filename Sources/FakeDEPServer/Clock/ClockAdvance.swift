public import Foundation

/// What a move of a world's clock answers: its new time and what became due on the way, in
/// the order it became due.
public struct ClockAdvance: Codable, Sendable, Hashable {
    public var now: Date
    public var due: [DueEvent]

    public init(now: Date, due: [DueEvent]) {
        self.now = now
        self.due = due
    }
}

/// Something of Apple's business that fell due while a world's clock moved.
public struct DueEvent: Codable, Sendable, Hashable {
    /// What fell due.
    public struct Kind: RawRepresentable, Codable, Sendable, Hashable {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        /// An MDM server's token expired: `/session` refuses it from then on (dep-api §1.5).
        public static let tokenExpired = Kind(rawValue: "token_expired")
        /// A device added with Apple Configurator can no longer release itself (peers §6).
        public static let provisionalPeriodEnded = Kind(rawValue: "provisional_period_ended")
    }

    /// When it fell due.
    public var at: Date
    public var kind: Kind
    /// The MDM server it concerns, by name, if any.
    public var server: String?
    /// The device it concerns, by serial number, if any.
    public var serial: String?

    public init(at: Date, kind: Kind, server: String? = nil, serial: String? = nil) {
        self.at = at
        self.kind = kind
        self.server = server
        self.serial = serial
    }
}
