import DEPSync
import DEPTestServer
import DEPWire
import FakeDEPServer
import Foundation
import Testing

/// A product family's default MDM server takes the family's new devices as they join.
struct DefaultServerTests {
    @Test func newDevicesOfADefaultFamilyAreAssignedToItsServerAsTheyJoin() async throws {
        try await TestServer.with { server in
            try await server.createPortalServer("Macs")
            try await server.createPortalServer("Phones")
            let set = try await server.portal(
                "PUT", "/servers/Macs/default-families", json: #"{"families":["MAC","IPHONE"]}"#)
            #expect(set.status == 200)
            #expect(set.text == #"{"families":["IPHONE","MAC"]}"#)
            // A family has one default: Phones takes IPHONE from Macs.
            _ = try await server.portal("PUT", "/servers/Phones/default-families", json: #"{"families":["IPHONE"]}"#)
            #expect(try await server.world.defaultFamilies(of: "Macs") == ["MAC"])
            #expect(try await server.world.defaultFamilies(of: "Phones") == ["IPHONE"])

            let before = Set(try await server.portalSerials())
            _ = try await server.world.seed(deviceCount: 300, seed: 12)
            let joined = try await server.portalDevices().filter { !before.contains($0.serialNumber) }
            #expect(joined.count == 300)
            for device in joined {
                let expected: String? =
                    switch device.family {
                    case "Mac": "Macs"
                    case "iPhone": "Phones"
                    default: nil
                    }
                #expect(device.server == expected, "\(device.serialNumber) \(device.family)")
            }
            // The devices already there stay as they were.
            #expect(
                try await server.portalDevices().filter { before.contains($0.serialNumber) }.allSatisfy {
                    $0.server == nil
                })

            let added = try await server.world.addWithConfigurator(serials: ["CFGDEFAULT01"], model: "Mac16,12")
            #expect(added.rows.map(\.outcome) == [.added])
            #expect(try await server.portalDevices("serial=CFGDEFAULT01").first?.server == "Macs")
        }
    }

    @Test func anUnknownFamilyIsRefusedAndChangesNothing() async throws {
        try await TestServer.with { server in
            try await server.createPortalServer("Macs")
            _ = try await server.portal("PUT", "/servers/Macs/default-families", json: #"{"families":["MAC"]}"#)
            let refused = try await server.portal(
                "PUT", "/servers/Macs/default-families", json: #"{"families":["MAC","Toaster"]}"#)
            #expect(refused.status == 400)
            #expect(refused.text.contains(#"\"Toaster\" is not a product family"#))
            #expect(try await server.world.defaultFamilies(of: "Macs") == ["MAC"])
            #expect(try await server.portal("GET", "/servers/Nobody/default-families").status == 404)
        }
    }

    @Test func theServerPageOffersTheFamiliesWithItsDefaultsChosen() async throws {
        try await TestServer.with { server in
            try await server.createPortalServer("Macs")
            _ = try await server.world.setDefaultFamilies(["MAC"], of: "Macs")
            let page = try await server.send("GET", "/web/servers/Macs").text
            #expect(page.contains(#"<option value="MAC" selected>MAC</option>"#))
            #expect(page.contains(#"<option value="IPAD">IPAD</option>"#))
        }
    }
}
