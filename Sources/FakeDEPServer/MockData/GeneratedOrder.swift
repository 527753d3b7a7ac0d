import Foundation

/// One purchase of the organisation: the devices Apple or a reseller enrolled under one order
/// number, which the portal can assign as a whole (dep-api §8).
struct GeneratedOrder: Sendable, Hashable {
    /// Our style, as Apple publishes none: `D` and nine digits, e.g. `D482915307`.
    var number: String
    /// When the order was placed, in whole seconds.
    var date: Date
    /// `APPLE` for a direct purchase, else the reseller's id: `RESELLER-` and seven digits.
    var purchaseSource: String
    var devices: [GeneratedDevice]
}

/// One device as Apple knows it from the sale: the fields of the Device object that never
/// change (dep-api §3.10), plus the product type and part number the portal shows.
struct GeneratedDevice: Sendable, Hashable {
    var serial: String
    var model: String
    /// Order-line style: prefix, colour and capacity, e.g. `IPHONE 15 BLACK 128GB`.
    var description: String
    var color: String?
    var os: String
    var family: String
    var productType: String
    /// The catalogue's four characters, one for colour and capacity, then `LL/A`: `MTP03LL/A`.
    var partNumber: String
    var capacity: String?
    /// 15 digits with a Luhn check digit, grouped as Apple prints them: `35 123456 789012 3`.
    /// Two on iPhones (dual SIM), one on cellular iPads.
    var imei: [String]?
    /// The first IMEI's 14 digits, grouped the same way, on CDMA-capable models.
    var meid: [String]?
    /// 32 digits of an eSIM's EID, its last two a mod-97 check.
    var eid: String?
    /// Colon-separated upper-case hex: `F0:18:98:3A:4B:5C`.
    var wifiMAC: String?
    var ethernetMAC: String?
    var bluetoothMAC: String?
}
