import Foundation

/// One product of the mock catalogue: how DEP names a device of it (dep-api §3.10) and which
/// identifiers such a device carries. Decoded from `Resources/MockData/catalog.json`.
struct CatalogEntry: Codable, Sendable, Hashable {
    /// The marketing name `model` reports, e.g. `iPhone 15` or `MacBook Pro 14"`.
    var model: String
    /// The `device_family`: one of `Catalog.families`.
    var family: String
    /// The `os`: `iOS`, `iPadOS`, `OSX`, `tvOS` or `visionOS`.
    var os: String
    /// Apple's hardware identifier, e.g. `iPhone15,4`.
    var productType: String
    /// The start of the order-line `description`, e.g. `IPHONE 15`; colour and capacity follow.
    var descriptionPrefix: String
    /// Upper-case colours; empty for products whose devices report no `color`.
    var colors: [String]
    /// Storage sizes such as `128GB`; empty when the order line names none.
    var capacities: [String]
    /// The first four characters of the part number, e.g. `MTP0` of `MTP03LL/A`.
    var partNumberPrefix: String
    /// 10 for the randomised serials Apple issues since 2021, 12 for older Macs.
    var serialLength: Int
    var hasIMEI: Bool
    var hasMEID: Bool
    var hasEID: Bool
    var hasEthernet: Bool
    var hasWiFi: Bool
    var hasBluetooth: Bool
    /// How often the product appears in a generated organisation, relative to the others.
    var weight: Int

    enum CodingKeys: String, CodingKey {
        case model, family, os, colors, capacities, weight
        case productType = "product_type", descriptionPrefix = "description_prefix"
        case partNumberPrefix = "part_number_prefix", serialLength = "serial_length"
        case hasIMEI = "has_imei", hasMEID = "has_meid", hasEID = "has_eid"
        case hasEthernet = "has_ethernet", hasWiFi = "has_wifi", hasBluetooth = "has_bluetooth"
    }
}

/// The products a generated inventory is drawn from, checked once when loaded so that the
/// generator never meets an entry it cannot turn into a device.
struct Catalog: Sendable {
    /// The device families DEP reports that the mock organisation buys (no iPod).
    static let families = ["iPhone", "iPad", "Mac", "AppleTV", "Vision"]
    /// The `os` values of dep-api §3.10.
    static let operatingSystems = ["iOS", "iPadOS", "OSX", "tvOS", "visionOS"]

    let entries: [CatalogEntry]

    /// Reads a catalogue from its JSON text: an array of entries with snake_case keys.
    init(json: Data) throws {
        let entries: [CatalogEntry]
        do {
            entries = try JSONDecoder().decode([CatalogEntry].self, from: json)
        } catch {
            throw CatalogError("The catalogue is not a JSON array of products: \(error)")
        }
        try self.init(entries: entries)
    }

    /// A catalogue of `entries`, after checking that each one can be generated.
    init(entries: [CatalogEntry]) throws {
        guard !entries.isEmpty else { throw CatalogError("The catalogue lists no products.") }
        for entry in entries {
            if let problem = Self.problem(with: entry) {
                throw CatalogError("Catalogue entry \(entry.productType) (\(entry.model)): \(problem).")
            }
        }
        self.entries = entries
    }

    /// What makes `entry` unusable, or `nil` when it is fine.
    private static func problem(with entry: CatalogEntry) -> String? {
        if !families.contains(entry.family) { return "family must be one of \(families)" }
        if !operatingSystems.contains(entry.os) { return "os must be one of \(operatingSystems)" }
        if entry.model.isEmpty || entry.productType.isEmpty || entry.descriptionPrefix.isEmpty {
            return "model, product_type and description_prefix must not be empty"
        }
        if entry.partNumberPrefix.utf8.count != 4 { return "part_number_prefix must have 4 characters" }
        if !(10...12).contains(entry.serialLength) { return "serial_length must be 10, 11 or 12" }
        if entry.weight <= 0 { return "weight must be positive" }
        return nil
    }
}

/// Why a catalogue cannot be used, in words a person editing `catalog.json` can act on.
struct CatalogError: Error, CustomStringConvertible, Equatable {
    let description: String

    /// An error saying `description`.
    init(_ description: String) { self.description = description }
}
