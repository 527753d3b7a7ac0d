import DEPWire
import Foundation
import Testing

@testable import DEPSync

/// How `LocalStore` keeps the ABM inventory: what counts as a change, releases and returns, a
/// full listing that marks what it left out, and the credentials of one client id.
struct LocalStoreABMTests {
    private let now = Date(timeIntervalSince1970: 1_780_000_000)

    private func device(_ serial: String, updated minutes: Double, released: Double? = nil) -> OrgDevice {
        var attributes = OrgDevice.Attributes()
        attributes.serialNumber = serial
        attributes.status = "ASSIGNED"
        attributes.updatedDateTime = ABMDateTime(now.addingTimeInterval(minutes * 60))
        attributes.releasedFromOrgDateTime = .some(released.map { ABMDateTime(now.addingTimeInterval($0 * 60)) })
        return OrgDevice(id: serial, attributes: attributes)
    }

    @Test func onlyANewDeviceOrANewUpdatedDateTimeIsAChange() async throws {
        let store = try LocalStore(path: ":memory:")

        #expect(
            try await store.storeABMDevices([device("A1", updated: 0), device("B1", updated: 0)], at: now) == [
                "A1", "B1",
            ])
        #expect(
            try await store.storeABMDevices([device("A1", updated: 0), device("B1", updated: 5)], at: now) == ["B1"])
        #expect(try await store.abmDevice("B1")?.attributes.updatedDateTime == ABMDateTime(now.addingTimeInterval(300)))
    }

    @Test func aReleasedDeviceIsMarkedAndABackOneIsNot() async throws {
        let store = try LocalStore(path: ":memory:")
        try await store.storeABMDevices([device("A1", updated: 0)], at: now)

        #expect(try await store.storeABMDevices([device("A1", updated: 0, released: 1)], at: now) == ["A1"])
        let released = try #require(try await store.abmDevice("A1"))
        #expect(released.status == "RELEASED" && released.removed == now && released.released != nil)

        try await store.storeABMDevices([device("A1", updated: 9)], at: now.addingTimeInterval(60))
        let back = try #require(try await store.abmDevice("A1"))
        #expect(back.status == "ASSIGNED" && back.removed == nil && back.released == nil)
    }

    @Test func aFullListingMarksTheDevicesItLeftOutOnce() async throws {
        let store = try LocalStore(path: ":memory:")
        let first = try await store.beginABMListing()
        try await store.storeABMDevices([device("A1", updated: 0), device("B1", updated: 0)], listing: first, at: now)
        #expect(try await store.finishABMListing(first, at: now) == 0)

        let second = try await store.beginABMListing()
        try await store.storeABMDevices([device("A1", updated: 0)], listing: second, at: now)
        #expect(try await store.finishABMListing(second, at: now) == 1)
        // A re-read between listings keeps a device's listing: only a listing marks.
        try await store.storeABMDevices([device("A1", updated: 1)], at: now)
        #expect(try await store.finishABMListing(second, at: now) == 0)

        #expect(try await store.abmDevices().map(\.status) == ["ASSIGNED", "RELEASED"])
    }

    @Test func credentialsOfAnotherClientIDAreNotHandedOutAndEndTheRefreshMark() async throws {
        let store = try LocalStore(path: ":memory:")
        try await store.storeABMCredentials(ABMCachedCredentials(clientID: "BUSINESSAPI.1", accessToken: "t1"))
        try await store.setABMLastRefresh(now)

        #expect(try await store.abmCredentials(clientID: "BUSINESSAPI.1")?.accessToken == "t1")
        #expect(try await store.abmCredentials(clientID: "BUSINESSAPI.2") == nil)
        try await store.storeABMCredentials(ABMCachedCredentials(clientID: "BUSINESSAPI.1", accessToken: "t2"))
        #expect(try await store.abmLastRefresh() == now)
        try await store.storeABMCredentials(ABMCachedCredentials(clientID: "BUSINESSAPI.2"))
        #expect(try await store.abmLastRefresh() == nil)
        #expect(try await store.abmCredentials(clientID: "BUSINESSAPI.1") == nil)
    }
}
