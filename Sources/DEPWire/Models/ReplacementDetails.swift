#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif

/// The answer of `GET /device/replacementDetails` (dep-api §3.12, v10+).
///
/// `replacement_date` is a day (`2025-01-15`), not a date-time, so it is written by hand.
public struct ReplacementDetails: Codable, Hashable, Sendable {
    public var serialNumber: String
    public var originalDeviceSerialNumber: String
    /// Midnight UTC of the replacement day.
    public var replacementDate: Date

    enum CodingKeys: String, CodingKey {
        case serialNumber = "serial_number"
        case originalDeviceSerialNumber = "original_device_serial_number"
        case replacementDate = "replacement_date"
    }

    public init(serialNumber: String, originalDeviceSerialNumber: String, replacementDate: Date) {
        self.serialNumber = serialNumber
        self.originalDeviceSerialNumber = originalDeviceSerialNumber
        self.replacementDate = replacementDate
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        serialNumber = try container.decode(String.self, forKey: .serialNumber)
        originalDeviceSerialNumber = try container.decode(String.self, forKey: .originalDeviceSerialNumber)
        let text = try container.decode(String.self, forKey: .replacementDate)
        guard let date = DEPDate.parseDay(text) ?? DEPDate.parse(text) else {
            throw DecodingError.dataCorruptedError(
                forKey: .replacementDate, in: container, debugDescription: "not a date: \(text)")
        }
        replacementDate = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(serialNumber, forKey: .serialNumber)
        try container.encode(originalDeviceSerialNumber, forKey: .originalDeviceSerialNumber)
        try container.encode(DEPDate.formatDay(replacementDate), forKey: .replacementDate)
    }
}
