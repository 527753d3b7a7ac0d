import DEPSync
import DEPWire
import FakeDEPServer
import FakeDEPTesting
import Foundation
import Testing

/// A world per test: its own URLs, isolated from every other world, reset to its seed, deleted.
struct FakeWorldTests {
    @Test func aWorldsURLsAreTheServersAndItsOwnPrefixes() async throws {
        try await withFakeDEP { fakedep in
            let world = try await fakedep.makeWorld(name: "urls")
            #expect(world.depURL == fakedep.url)
            #expect(
                world.portalURL.absoluteString == "\(fakedep.url.absoluteString)/_fakedep/worlds/\(world.id)/portal")
            #expect(
                world.deviceURL.absoluteString == "\(fakedep.url.absoluteString)/_fakedep/worlds/\(world.id)/device")
            #expect(try world.summary.name == "urls")
            #expect(try fakedep.world(world.id).id == world.id)
            #expect(fakedep.defaultWorld.id == "default")
        }
    }

    @Test func twoWorldsSeeOnlyTheirOwnDevicesAndServers() async throws {
        try await withFakeDEP { fakedep in
            let first = try await fakedep.makeWorld(seed: .generated(devices: 3, seed: 1))
            let second = try await fakedep.makeWorld(seed: .empty)
            _ = try await first.world.createServer(name: "First MDM")

            let firstDevices = try await Self.devices(first)
            #expect(firstDevices.count == 3)
            #expect(try await Self.devices(second).isEmpty)
            #expect(try await Self.serverNames(first) == ["First MDM"])
            #expect(try await Self.serverNames(second).isEmpty)
            // A device of the first world does not exist in the second's device side.
            let serial = try #require(firstDevices.first)
            #expect(try await request("POST", second.deviceURL, path: "/boot/\(serial)").status == 404)
            #expect(try await request("POST", first.deviceURL, path: "/boot/\(serial)").status == 200)
        }
    }

    @Test func aResetWorldIsBackAtItsSeedWithItsIdAndJournal() async throws {
        try await withFakeDEP { fakedep in
            let world = try await fakedep.makeWorld()
            _ = try await world.world.createServer(name: "Gone Soon")
            #expect(try await request("GET", world.portalURL, path: "/servers").status == 200)
            #expect(try await world.journal.waitFor(count: 1).satisfied)

            try await world.reset()
            #expect(try await Self.serverNames(world).isEmpty)
            #expect(try await Self.devices(world).count == 82)
            #expect(try world.summary.id == world.id)
            let listings = try await world.journal.waitFor(
                count: 2, matching: JournalFilter(operation: "portal_list_servers"))
            #expect(listings.satisfied)
        }
    }

    @Test func aDeletedWorldIsGoneAndTheDefaultOneStays() async throws {
        try await withFakeDEP { fakedep in
            let world = try await fakedep.makeWorld()
            try world.delete()
            #expect(throws: PortalError.self) { try world.world }
            #expect(throws: PortalError.self) { try fakedep.world(world.id) }
            #expect(try await request("GET", world.portalURL, path: "/servers").status == 404)
            #expect(throws: PortalError.self) { try world.journal.count() }
            await #expect(throws: PortalError.self) { try await world.clock.advance(by: .seconds(1)) }

            #expect(throws: PortalError.self) { try fakedep.defaultWorld.delete() }
            #expect(try await request("GET", fakedep.defaultWorld.portalURL, path: "/servers").status == 200)
        }
    }

    /// Every serial the world's portal lists.
    static func devices(_ world: FakeWorld) async throws -> [String] {
        let response = try await request("GET", world.portalURL, path: "/devices?limit=1000")
        try #require(response.status == 200)
        return try DEPJSON.decode(DevicePage.self, from: response.body).devices.map(\.serialNumber)
    }

    /// The names of the MDM servers the world's portal lists.
    static func serverNames(_ world: FakeWorld) async throws -> [String] {
        let response = try await request("GET", world.portalURL, path: "/servers")
        try #require(response.status == 200)
        return try DEPJSON.decode([MDMServerSummary].self, from: response.body).map(\.name)
    }
}
