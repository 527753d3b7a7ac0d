import DEPWire
public import Foundation

/// One change of a `depsync.DevicesChanged` event as the JSON object it is written as: a page's
/// changes are written as they are read in its transaction, then put in events of at most
/// `Outbox.changesPerEvent`.
struct WrittenChange: Sendable {
    let json: [UInt8]

    /// `change` as its `Encodable` conformance encodes it, keys in `DeviceChange.CodingKeys`
    /// order, absent optionals left out.
    init(_ change: DeviceChange) throws {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(change.before == nil ? 640 : 1280)
        Self.head(change.serialNumber, change.change, change.enrollmentStatus, &bytes)
        if let previous = change.previousEnrollmentStatus {
            Self.raw(#","previous_enrollment_status":"#, &bytes)
            DEPJSON.appendString(previous.rawValue, to: &bytes)
        }
        if let fields = change.changedFields {
            Self.raw(#","changed_fields":["#, &bytes)
            for (index, field) in fields.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                DEPJSON.appendString(field, to: &bytes)
            }
            bytes.append(UInt8(ascii: "]"))
        }
        if let before = change.before {
            Self.raw(#","before":"#, &bytes)
            try DEPJSON.append(before, to: &bytes)
        }
        Self.raw(#","after":"#, &bytes)
        try DEPJSON.append(change.after, to: &bytes)
        bytes.append(UInt8(ascii: "}"))
        json = bytes
    }

    /// The change of a device the store had no record of before (`DeviceChange(kind, before:
    /// nil, after:)`), its record written from the row `after` is on.
    init(_ kind: DeviceChange.Kind, isRemoved: Bool, after: StoredDeviceJSON) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(640)
        let profileStatus = after.profileStatus
        Self.head(
            String(decoding: after.serialNumber, as: UTF8.self), kind,
            EnrollmentStatus(profileStatus: profileStatus, isRemoved: isRemoved), &bytes)
        Self.raw(#","after":"#, &bytes)
        after.write(to: &bytes, profileStatus: profileStatus)
        bytes.append(UInt8(ascii: "}"))
        json = bytes
    }

    private static func head(
        _ serial: String, _ kind: DeviceChange.Kind, _ status: EnrollmentStatus, _ bytes: inout [UInt8]
    ) {
        raw(#"{"serial_number":"#, &bytes)
        DEPJSON.appendString(serial, to: &bytes)
        raw(#","change":"#, &bytes)
        DEPJSON.appendString(kind.rawValue, to: &bytes)
        raw(#","enrollment_status":"#, &bytes)
        DEPJSON.appendString(status.rawValue, to: &bytes)
    }

    fileprivate static func raw(_ text: StaticString, _ bytes: inout [UInt8]) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }
}

/// The event's JSON written by hand around its written changes: a full fetch makes an event of
/// 1000 changes a page, and the `Encoder` machinery around each change cost as much as the
/// devices' own bytes. Exactly what `DEPJSON.encode` writes of the event (a test holds the two
/// to the same bytes).
extension DevicesChangedEvent {
    public func json() throws -> Data {
        Self.json(
            eventID: eventID, createdAt: createdAt, depName: body.depName, source: body.source,
            changes: try body.devices.map(WrittenChange.init))
    }

    static func json(
        eventID: String, createdAt: Date, depName: String, source: String, changes: some Collection<WrittenChange>
    ) -> Data {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256 + changes.reduce(0) { $0 + $1.json.count + 1 })
        WrittenChange.raw(#"{"topic":"#, &bytes)
        DEPJSON.appendString(EventTopic.devicesChanged.rawValue, to: &bytes)
        WrittenChange.raw(#","event_id":"#, &bytes)
        DEPJSON.appendString(eventID, to: &bytes)
        WrittenChange.raw(#","created_at":"#, &bytes)
        DEPJSON.appendString(DEPDate.format(createdAt), to: &bytes)
        WrittenChange.raw(#","devices_changed_event":{"dep_name":"#, &bytes)
        DEPJSON.appendString(depName, to: &bytes)
        WrittenChange.raw(#","source":"#, &bytes)
        DEPJSON.appendString(source, to: &bytes)
        WrittenChange.raw(#","devices":["#, &bytes)
        for (index, change) in changes.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(contentsOf: change.json)
        }
        WrittenChange.raw("]}}", &bytes)
        return Data(bytes)
    }
}
