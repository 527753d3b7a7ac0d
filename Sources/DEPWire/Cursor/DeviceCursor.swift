#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The position a client has reached in a server's devices (dep-api §4), sealed so that it is
/// opaque and tamper-evident: base64url of `fields:HMAC`.
///
/// A fetch cursor walks the server's devices in assignment order (keyset: assigned date, serial)
/// and remembers the event log position at which the snapshot began; a sync cursor is a position
/// in the event log. Both carry their issue time, from which `EXPIRED_CURSOR` is judged.
public struct DeviceCursor: Hashable, Sendable {
    public enum Phase: Hashable, Sendable {
        /// Walking the snapshot: the last device returned (nil before the first page), and
        /// whether every device has been returned.
        case fetch(after: DeviceKey?, isComplete: Bool)
        /// Replaying the log after event `sequence`.
        case sync(after: Int64)
    }

    /// A device's place in fetch order.
    public struct DeviceKey: Hashable, Sendable {
        public var assignedDate: Int64
        public var serial: String

        public init(assignedDate: Int64, serial: String) {
            self.assignedDate = assignedDate
            self.serial = serial
        }
    }

    public var server: Int64
    public var phase: Phase
    /// The event log position when the fetch began: sync continues from there.
    public var snapshotSequence: Int64
    public var issued: Int64

    /// Cursors older than this are `EXPIRED_CURSOR` (dep-api §4.1).
    public static let lifetime: Int64 = 7 * 86_400

    /// The event after which sync continues.
    public var syncPosition: Int64 {
        if case .sync(let after) = phase { return after }
        return snapshotSequence
    }

    /// The sealed text handed to the client.
    public func sealed(with key: [UInt8]) -> String {
        let fields: String
        switch phase {
        case .fetch(let after, let isComplete):
            fields = [
                "f", String(server), String(snapshotSequence), String(issued), isComplete ? "1" : "0",
                after.map { String($0.assignedDate) } ?? "", after?.serial ?? "",
            ].joined(separator: ":")
        case .sync(let after):
            fields = ["s", String(server), String(snapshotSequence), String(issued), String(after)].joined(
                separator: ":")
        }
        let mac = HMACSHA1.authenticationCode(for: Array(fields.utf8), key: key)
        return Base64URL.encode(Array(fields.utf8) + [UInt8(ascii: ":")] + mac)
    }

    /// The longest sealed text opened: far beyond any cursor sealed, so a huge one is refused unread.
    static let longestSealed = 1000

    /// Opens a sealed cursor; `nil` when it was not made with `key` or does not parse.
    public init?(sealed text: String, key: [UInt8]) {
        guard text.utf8.count <= Self.longestSealed, let data = Base64URL.decode(text) else { return nil }
        let bytes = [UInt8](data)
        guard bytes.count > 21, bytes[bytes.count - 21] == UInt8(ascii: ":") else { return nil }
        let fieldBytes = Array(bytes[..<(bytes.count - 21)])
        let mac = Array(bytes[(bytes.count - 20)...])
        guard ConstantTime.isEqual(HMACSHA1.authenticationCode(for: fieldBytes, key: key), mac),
            String(validating: fieldBytes, as: UTF8.self) != nil
        else { return nil }
        // Split on the colon byte, not on characters (a colon and a combining mark after it are
        // one character); the serial comes last and is split off whole, colons and all.
        let fields = fieldBytes.split(separator: UInt8(ascii: ":"), maxSplits: 6, omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
        guard fields.count >= 5, let server = Int64(fields[1]), let snapshot = Int64(fields[2]),
            let issued = Int64(fields[3])
        else { return nil }
        switch fields[0] {
        case "f" where fields.count == 7:
            let after = Int64(fields[5]).map { DeviceKey(assignedDate: $0, serial: fields[6]) }
            self.init(
                server: server, phase: .fetch(after: after, isComplete: fields[4] == "1"), snapshotSequence: snapshot,
                issued: issued)
        case "s" where fields.count == 5:
            guard let after = Int64(fields[4]) else { return nil }
            self.init(server: server, phase: .sync(after: after), snapshotSequence: snapshot, issued: issued)
        default:
            return nil
        }
    }

    public init(server: Int64, phase: Phase, snapshotSequence: Int64, issued: Int64) {
        self.server = server
        self.phase = phase
        self.snapshotSequence = snapshotSequence
        self.issued = issued
    }
}
