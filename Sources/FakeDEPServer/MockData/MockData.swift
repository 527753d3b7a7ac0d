import Foundation

/// The bundled mock data (`MockData/` in the repository): the default organisation and the
/// product catalogue the inventory generator draws from.
enum MockData {
    /// The contents of a bundled mock-data file.
    static func file(_ name: String) throws -> Data {
        guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "MockData") else {
            throw PortalError(.notFound, "The bundled mock data has no \(name); rebuild fakedep.")
        }
        return try Data(contentsOf: url)
    }

    /// The default organisation.
    static func organisation() throws -> Organisation {
        try JSONDecoder().decode(Organisation.self, from: try file("organisation.json"))
    }
}

extension Catalog {
    /// The bundled product catalogue.
    static func bundled() throws -> Catalog {
        try Catalog(json: try MockData.file("catalog.json"))
    }
}
