import Foundation
import Testing

@testable import FakeDEPServer

/// The mock data files the package ships, read from the repository rather than a bundle.
enum MockDataFiles {
    /// `Sources/FakeDEPServer/Resources/MockData`, found from this file's own path.
    static let directory = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/FakeDEPServer/Resources/MockData")

    /// The shipped product catalogue.
    static func catalog() throws -> Catalog {
        try Catalog(json: Data(contentsOf: directory.appendingPathComponent("catalog.json")))
    }
}

@Test func shippedCatalogDecodesWithEveryFamilyAndItsOperatingSystem() throws {
    let catalog = try MockDataFiles.catalog()
    #expect((25...40).contains(catalog.entries.count))
    let expectedOS = ["iPhone": "iOS", "iPad": "iPadOS", "Mac": "OSX", "AppleTV": "tvOS", "Vision": "visionOS"]
    #expect(Set(catalog.entries.map(\.family)) == Set(Catalog.families))
    for entry in catalog.entries {
        #expect(entry.os == expectedOS[entry.family], "\(entry.productType)")
    }
}

@Test func shippedCatalogEntriesAreWellFormed() throws {
    let catalog = try MockDataFiles.catalog()
    let upperCase = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ")
    for entry in catalog.entries {
        #expect(entry.colors.allSatisfy { !$0.isEmpty && $0.allSatisfy(upperCase.contains) }, "\(entry.productType)")
        #expect(
            entry.capacities.allSatisfy { $0.hasSuffix("GB") || $0.hasSuffix("TB") }, "\(entry.productType)")
        #expect(entry.partNumberPrefix.allSatisfy(upperCase.contains))
        #expect(entry.descriptionPrefix == entry.descriptionPrefix.uppercased())
        #expect(entry.hasWiFi && entry.hasBluetooth)
        #expect(!entry.hasEID || entry.hasIMEI, "an eSIM comes with an IMEI: \(entry.productType)")
    }
    let lines = catalog.entries.map { "\($0.productType) \($0.descriptionPrefix)" }
    #expect(Set(lines).count == lines.count, "each product appears once")
}

@Test func iPhonesAndMacsAreCommonAndVisionIsRare() throws {
    let catalog = try MockDataFiles.catalog()
    func weight(of family: String) -> Int {
        catalog.entries.filter { $0.family == family }.reduce(0) { $0 + $1.weight }
    }
    #expect(weight(of: "iPhone") > weight(of: "iPad"))
    #expect(weight(of: "Mac") > weight(of: "AppleTV"))
    #expect(weight(of: "Vision") < weight(of: "AppleTV"))
}

@Test func shippedOrganisationHasTheFieldsTheAccountReports() throws {
    let data = try Data(contentsOf: MockDataFiles.directory.appendingPathComponent("organisation.json"))
    let organisation = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    #expect(organisation["name"] as? String == "Acme Corp")
    #expect(organisation["org_type"] as? String == "org")
    #expect(organisation["org_version"] as? String == "v2")
    #expect(organisation["admin_id"] as? String == "ade-admin@acme.example")
    #expect(organisation["terms_signed"] as? Bool == true)
    let orgID = try #require(organisation["org_id"] as? String)
    #expect(!orgID.isEmpty && orgID.allSatisfy(\.isASCIIDigit))
    let hash = try #require(organisation["org_id_hash"] as? String)
    #expect(hash.count == 64 && hash.allSatisfy { "0123456789abcdef".contains($0) })
    for key in ["email", "phone", "address"] {
        #expect((organisation[key] as? String)?.isEmpty == false, "\(key)")
    }
}

@Test func catalogThatIsNotAnArrayIsRejected() {
    #expect(throws: CatalogError.self) { try Catalog(json: Data(#"{"model": "iPhone 15"}"#.utf8)) }
}

@Test func emptyCatalogIsRejected() {
    #expect(throws: CatalogError("The catalogue lists no products.")) { try Catalog(json: Data("[]".utf8)) }
}

@Test func entryOfUnknownFamilyIsRejectedNamingTheEntry() throws {
    var entry = try #require(try MockDataFiles.catalog().entries.first)
    entry.family = "iPod"
    do {
        _ = try Catalog(entries: [entry])
        Issue.record("an iPod entry was accepted")
    } catch let error as CatalogError {
        #expect(error.description.contains(entry.productType))
        #expect(error.description.contains("family"))
    }
}

extension Character {
    /// Whether this is one of the ASCII digits 0–9.
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
