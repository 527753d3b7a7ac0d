import DEPSync
import DEPTestServer
import DEPWire
import FakeDEPServer
import Foundation
import Testing

/// `GET /device/machine-info/{serial}`: what a simulated device tells its MDM about itself.
struct DeviceMachineInfoTests {
    @Test func aDeviceDescribesItselfFromItsInventoryRecord() async throws {
        try await TestServer.with { server in
            let serial = try await server.freeSerials(1, family: "iPhone")[0]
            let response = try await server.send("GET", "/device/machine-info/\(serial)")
            #expect(response.status == 200)
            #expect(response.header("Content-Type") == "application/json")
            let info = try JSONDecoder().decode(MachineInfo.self, from: response.body)
            let device = try #require(
                try await server.world.listDevices(DeviceFilter(family: "iPhone"), limit: 1000).devices.first {
                    $0.serialNumber == serial
                })
            #expect(info.serial == serial)
            #expect(info.product == device.productType)
            #expect(info.osVersion == "26.1")
            #expect(info.version == "23B85")
            #expect(info.language == "en")
            // An iPhone carries two IMEIs; the device reports its first, spaced as DEP lists it.
            #expect(info.imei?.filter(\.isNumber).count == 15)
            #expect(info.udid.hasPrefix("00008150-"))
            #expect(info.udid.count == 25)
        }
    }

    @Test func theUDIDIsTheSameEveryTimeAndDiffersBetweenDevices() async throws {
        try await TestServer.with { server in
            let serials = try await server.freeSerials(2)
            let first = try await server.world.machineInfo(serial: serials[0])
            #expect(try await server.world.machineInfo(serial: serials[0].lowercased()).udid == first.udid)
            #expect(try await server.world.machineInfo(serial: serials[1]).udid != first.udid)
        }
    }

    @Test func aMacReportsMacOS() async throws {
        try await TestServer.with { server in
            let serial = try await server.freeSerials(1, family: "Mac")[0]
            let info = try await server.world.machineInfo(serial: serial)
            #expect(info.version == "25B78")
            #expect(info.imei == nil)
        }
    }

    @Test func anUnknownSerialIsNotFoundAndOtherMethodsAreRefused() async throws {
        try await TestServer.with { server in
            let unknown = try await server.send("GET", "/device/machine-info/\(TestServer.unknownSerial)")
            #expect(unknown.status == 404)
            #expect(unknown.text.contains(#""error":"NOT_FOUND""#))
            let invalid = try await server.send("GET", "/device/machine-info/C02-K1")
            #expect(invalid.status == 400)
            let serial = try await server.freeSerials(1)[0]
            #expect(try await server.send("POST", "/device/machine-info/\(serial)").status == 405)
        }
    }
}
