import DEPWire
import Foundation
import GRDB

extension PortalError.Code {
    /// The device has left the organisation (released, disowned or replaced): nothing more can
    /// be done to it.
    public static let alreadyReleased = Self(rawValue: "ALREADY_RELEASED")
}

extension World {
    /// `text` as a normalised serial number (`what` names it, for the message), or a refusal:
    /// 400 `INVALID_REQUEST` for a control character, 400 `INVALID_SERIAL` for anything else
    /// that is not a serial.
    static func requireSerial(_ text: String, _ what: String) throws -> String {
        try requirePrintable(text, what)
        guard let serial = SerialNumber.normalized(text) else {
            throw PortalError(.invalidSerial, "\"\(text)\" is not a serial number (8 to 20 letters and digits).")
        }
        return serial
    }

    /// The device with `serial` while it belongs to the organisation: 404 for a serial no device
    /// has, `ALREADY_RELEASED` for one that has left.
    func requireDevice(_ serial: String, _ db: Database) throws -> InventoryDevice {
        let device = try Self.organisationDevice(serial, db)
        if let released = device.released {
            throw PortalError(
                .alreadyReleased,
                "\(serial) left the organisation on \(DEPDate.format(Date(unixSeconds: released))); it can no longer be changed."
            )
        }
        return device
    }
}
