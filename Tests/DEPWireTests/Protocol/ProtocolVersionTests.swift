import DEPWire
import Foundation
import Testing

struct ProtocolVersionTests {
    static let ipad = Device(
        serialNumber: "DMPX1", model: "iPad Air", os: .iPadOS, deviceFamily: .iPad,
        mdmMigrationDeadline: Date(timeIntervalSince1970: 0), eid: "8904", wifiMACAddress: "AA:BB:CC:DD:EE:FF",
        imei: ["35 000000 000000 0"], isReplacementDevice: false)

    @Test(
        arguments: [(nil, 1), ("", 1), ("abc", 1), ("0", 1), ("-3", 1), ("2", 2), (" 7 ", 7), ("10", 10), ("99", 10)]
            as [(String?, Int)])
    func readsAndClampsTheHeader(_ header: String?, _ expected: Int) {
        #expect(ProtocolVersion(header: header).number == expected)
    }

    @Test func versionOneCarriesNoFamilyOrOS() {
        let device = ProtocolVersion(1).shaped(Self.ipad)
        #expect(device.os == nil && device.deviceFamily == nil)
        #expect(device.mdmMigrationDeadline == nil && device.eid == nil)
    }

    @Test func iPadsReportIOSBeforeVersionSeven() {
        #expect(ProtocolVersion(6).shaped(Self.ipad).os == .iOS)
        #expect(ProtocolVersion(7).shaped(Self.ipad).os == .iPadOS)
    }

    @Test func migrationDeadlineFromEightAndIdentifiersFromTen() {
        #expect(ProtocolVersion(7).shaped(Self.ipad).mdmMigrationDeadline == nil)
        #expect(ProtocolVersion(8).shaped(Self.ipad).mdmMigrationDeadline != nil)
        #expect(ProtocolVersion(9).shaped(Self.ipad).wifiMACAddress == nil)
        let ten = ProtocolVersion(10).shaped(Self.ipad)
        #expect(ten == Self.ipad)
    }

    @Test func accountDetailsFromThree() {
        let account = AccountDetail(
            serverName: "S", orgID: "1", orgIDHash: "h", urls: [], orgType: "org", orgVersion: "v2")
        #expect(ProtocolVersion(2).shaped(account) == AccountDetail(serverName: "S"))
        #expect(ProtocolVersion(3).shaped(account) == account)
    }

    @Test func throttledIsFailedBeforeNineAndRetryAfterOnlyFromTen() {
        let response = AssignProfileResponse(
            profileUUID: "P", devices: DeviceResults([("A", .success), ("B", .throttled)]), retryAfterSeconds: 30)
        let eight = ProtocolVersion(8).shaped(response)
        #expect(eight.devices["B"] == .failed && eight.retryAfterSeconds == nil)
        let nine = ProtocolVersion(9).shaped(response)
        #expect(nine.devices["B"] == .throttled && nine.retryAfterSeconds == nil)
        #expect(ProtocolVersion(10).shaped(response).retryAfterSeconds == 30)
        let unthrottled = AssignProfileResponse(
            profileUUID: "P", devices: DeviceResults([("A", .success)]), retryAfterSeconds: 30)
        #expect(ProtocolVersion(10).shaped(unthrottled).retryAfterSeconds == nil)
    }

    @Test func profileVersionTwoKeys() {
        var profile = Profile(profileName: "P", url: "https://x")
        profile.isMultiUser = true
        profile.awaitDeviceConfigured = true
        profile.supportEmailAddress = "a@b"
        profile.autoAdvanceSetup = true
        #expect(ProtocolVersion(1).shaped(profile) == Profile(profileName: "P", url: "https://x"))
        #expect(ProtocolVersion(2).shaped(profile) == profile)
    }
}
