#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif

extension FetchDeviceResponse {
    /// Reads a fetch or sync page (dep-api §3.2, §3.3) several times faster than `JSONDecoder`.
    ///
    /// The contract: for every input this returns exactly what
    /// `DEPJSON.decode(FetchDeviceResponse.self, from: json)` returns, or throws what it throws.
    /// A hand-written reader takes the common case (keys in any order, unknown members of any
    /// shape skipped, `null` as absent, both MAC address forms, `profile_status: ""` as `empty`,
    /// dates through `DEPDate.parse`); whatever it is not sure of — malformed JSON, a value of an
    /// unexpected type, a repeated key, invalid UTF-8 — it hands to `JSONDecoder`, whose answer
    /// (and error) then stands.
    public static func read(json: Data) throws -> FetchDeviceResponse {
        if let page = try? readDirectly(json: json) { return page }
        return try DEPJSON.decode(FetchDeviceResponse.self, from: json)
    }

    /// Reads a page asked for with `limit`: as `read(json:)`, except that a page holding more than
    /// `limit` devices is refused with `PageLimitExceeded`, and that only a page of at most
    /// `largestDecodedPage` bytes is left to `JSONDecoder`. The hand-written reader stops at
    /// device `limit + 1`, so a hostile page never becomes millions of `Device` values.
    public static func read(json: Data, limit: Int) throws -> FetchDeviceResponse {
        try readKeepingBytes(json: json, limit: limit).page
    }

    /// Reads a page as `read(json:limit:)` does, keeping its bytes when they can be handed on as
    /// they are: a page the hand-written reader took whole is strict RFC 8259 JSON in UTF-8, one
    /// value that fits inside another document; one left to `JSONDecoder` may not be (a leading
    /// BOM, UTF-16, a trailing comma), and its bytes are dropped.
    public static func readKeepingBytes(json: Data, limit: Int) throws -> ReceivedPage {
        do {
            return ReceivedPage(page: try readDirectly(json: json, limit: limit), json: json)
        } catch let error as PageLimitExceeded {
            throw error
        } catch {
            guard json.count <= largestDecodedPage else { throw error }
            let page = try DEPJSON.decode(FetchDeviceResponse.self, from: json)
            guard (page.devices?.count ?? 0) <= limit else { throw PageLimitExceeded(limit: limit) }
            return ReceivedPage(page: page, json: nil)
        }
    }

    /// The largest page `read(json:limit:)` leaves to `JSONDecoder`: 1 MiB, Apple's largest page
    /// (1000 devices) and more. `JSONDecoder` holds a document many times over (a page crowded
    /// with the smallest devices, some thirty times) and builds every device before any count.
    public static let largestDecodedPage = 1 << 20

    /// The hand-written reader alone: `JSONDecoder`'s result, or a `JSONReadError` for input it
    /// leaves to `JSONDecoder` (which may still read it, or fail); `PageLimitExceeded` past
    /// `limit` devices.
    static func readDirectly(json: Data, limit: Int = .max) throws -> FetchDeviceResponse {
        try json.withUnsafeBytes { bytes in
            var reader = JSONReader(bytes)
            let page = try readPage(&reader, limit: limit)
            try reader.finish()
            return page
        }
    }

    private static let pageKeys = JSONKeys<CodingKeys>([.devices, .fetchedUntil, .moreToFollow, .cursor])

    private static func readPage(_ reader: inout JSONReader, limit: Int) throws -> FetchDeviceResponse {
        let deviceKeys = Device.readerKeys
        var devices: [Device]?
        var fetchedUntil: Date?
        var moreToFollow: Bool?
        var cursor: String?
        try reader.readObject(pageKeys) { reader, key in
            switch key {
            case .devices:
                guard try !reader.readNull() else { return }
                var list: [Device] = []
                try reader.readArray {
                    guard list.count < limit else { throw PageLimitExceeded(limit: limit) }
                    list.append(try Device.read(&$0, keys: deviceKeys))
                }
                devices = list
            case .fetchedUntil: fetchedUntil = try reader.readDate()
            case .moreToFollow: moreToFollow = try reader.readBool()
            case .cursor: cursor = try reader.readString()
            }
        }
        guard let fetchedUntil, let moreToFollow, let cursor else {
            throw JSONReadError("a page needs fetched_until, more_to_follow and cursor", at: reader.offset)
        }
        return FetchDeviceResponse(
            devices: devices, fetchedUntil: fetchedUntil, moreToFollow: moreToFollow, cursor: cursor)
    }
}

/// A fetch or sync page held more devices than the `limit` it was asked for: a service that
/// ignores the limit (or a hostile one) is not believed.
public struct PageLimitExceeded: Error, Sendable, CustomStringConvertible {
    /// The page size asked for.
    public let limit: Int

    public init(limit: Int) { self.limit = limit }

    public var description: String { "the page holds more than the \(limit) devices asked for" }
}

extension Device {
    /// Every key of `CodingKeys`, in Apple's order (the order they usually come in).
    fileprivate static let readerKeys = JSONKeys<CodingKeys>([
        .serialNumber, .description, .model, .os, .deviceFamily, .color, .assetTag, .profileUUID,
        .profileAssignTime, .profilePushTime, .profileStatus, .deviceAssignedBy, .deviceAssignedDate,
        .mdmMigrationDeadline, .opType, .opDate, .eid, .ethernetMACAddress, .wifiMACAddress,
        .bluetoothMACAddress, .imei, .meid, .isReplacementDevice, .releasedByReplacement, .responseStatus,
    ])

    /// Reads one device object the way its `Decodable` conformance does.
    fileprivate static func read(_ reader: inout JSONReader, keys: JSONKeys<CodingKeys>) throws -> Device {
        var device = Device(serialNumber: "")
        var hasSerialNumber = false
        try reader.readObject(keys) { reader, key in
            // `decodeIfPresent` reads `null` as absent; only the serial number is required.
            guard try !reader.readNull() else {
                if key == .serialNumber { throw JSONReadError("serial_number is null", at: reader.offset) }
                return
            }
            switch key {
            case .serialNumber:
                device.serialNumber = try reader.readString()
                hasSerialNumber = true
            case .description: device.description = try reader.readString()
            case .model: device.model = try reader.readString()
            case .os: device.os = DeviceOS(rawValue: try reader.readString())
            case .deviceFamily: device.deviceFamily = DeviceFamily(rawValue: try reader.readString())
            case .color: device.color = try reader.readString()
            case .assetTag: device.assetTag = try reader.readString()
            case .profileUUID: device.profileUUID = try reader.readString()
            case .profileAssignTime: device.profileAssignTime = try reader.readDate()
            case .profilePushTime: device.profilePushTime = try reader.readDate()
            case .profileStatus: device.profileStatus = try reader.readProfileStatus()
            case .deviceAssignedBy: device.deviceAssignedBy = try reader.readString()
            case .deviceAssignedDate: device.deviceAssignedDate = try reader.readDate()
            case .mdmMigrationDeadline: device.mdmMigrationDeadline = try reader.readDate()
            case .opType: device.opType = try reader.readOperationType()
            case .opDate: device.opDate = try reader.readDate()
            case .eid: device.eid = try reader.readString()
            case .ethernetMACAddress: device.ethernetMACAddress = try reader.readAddressList()
            case .wifiMACAddress: device.wifiMACAddress = try reader.readAddressList()
            case .bluetoothMACAddress: device.bluetoothMACAddress = try reader.readAddressList()
            case .imei: device.imei = try reader.readStrings()
            case .meid: device.meid = try reader.readStrings()
            case .isReplacementDevice: device.isReplacementDevice = try reader.readBool()
            case .releasedByReplacement: device.releasedByReplacement = try reader.readBool()
            case .responseStatus: device.responseStatus = DeviceResultStatus(rawValue: try reader.readString())
            }
        }
        guard hasSerialNumber else { throw JSONReadError("a device needs serial_number", at: reader.offset) }
        return device
    }
}

extension JSONReader {
    /// A date as `DEPJSON`'s decoder reads it: a string `DEPDate.parse` accepts.
    fileprivate mutating func readDate() throws -> Date {
        guard let date = try readString({ DEPDate.parse(utf8: $0) }) else {
            throw JSONReadError("not an RFC 3339 date", at: offset)
        }
        return date
    }

    /// A status as `ProfileStatus(from:)` reads it: `""` is `empty`, an unknown value an error.
    fileprivate mutating func readProfileStatus() throws -> ProfileStatus {
        let text = try readString()
        if text.isEmpty { return .empty }
        guard let status = ProfileStatus(rawValue: text) else {
            throw JSONReadError("unknown profile_status", at: offset)
        }
        return status
    }

    /// An operation as `OperationType(from:)` reads it: one of its raw values.
    fileprivate mutating func readOperationType() throws -> OperationType {
        guard let type = OperationType(rawValue: try readString()) else {
            throw JSONReadError("unknown op_type", at: offset)
        }
        return type
    }

    /// Addresses as `AddressList(from:)` reads them: one string, or an array of strings.
    fileprivate mutating func readAddressList() throws -> AddressList {
        try nextIsArray() ? AddressList(try readStrings()) : AddressList([try readString()])
    }
}
