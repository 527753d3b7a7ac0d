import DEPSync
import DEPTestServer
import DEPWire
import FakeDEPServer
import Foundation
import Testing

/// `GET /portal/devices?serial=`: devices whose serial starts with the given letters and digits.
struct SerialSearchPortalTests {
    @Test(arguments: [1, 2, 3, 10])
    func aSerialSearchFindsTheSerialsThatStartWithItInEitherCase(length: Int) async throws {
        try await TestServer.with { server in
            let all = try await server.portalSerials()
            for serial in all.prefix(5) {
                let prefix = String(serial.prefix(length))
                let expected = all.filter { $0.hasPrefix(prefix) }
                #expect(try await server.portalSerials("serial=\(prefix.lowercased())") == expected)
                #expect(try await server.portalSerials("serial=\(prefix)") == expected)
            }
        }
    }

    @Test func aSerialSearchCombinesWithTheOtherFiltersAndPaging() async throws {
        try await TestServer.with { server in
            _ = try await server.portalValue(SeedResultShape.self, "POST", "/seed", json: #"{"devices":3000,"seed":2}"#)
            let all = try await server.portalDevices()
            let prefix = String(all[all.count / 2].serialNumber.prefix(1))
            let expected = all.filter { $0.serialNumber.hasPrefix(prefix) && $0.family == "iPhone" }.map(\.serialNumber)
            var serials: [String] = []
            var after: String?
            repeat {
                let page = try await server.portalValue(
                    DevicePage.self, "GET",
                    "/devices?serial=\(prefix)&family=iPhone&limit=7" + (after.map { "&after=\($0)" } ?? ""))
                serials += page.devices.map(\.serialNumber)
                after = page.next
            } while after != nil
            #expect(serials == expected)
        }
    }

    @Test func anEmptySerialSearchMatchesEveryDevice() async throws {
        try await TestServer.with { server in
            let all = try await server.portalSerials()
            #expect(try await server.portalSerials("serial=") == all)
        }
    }

    @Test(arguments: ["AB-C", "%3Cb%3E", "ABCDEFGHIJKLMNOPQRSTU", "%C3%A9"])
    func aSerialSearchThatNoSerialCanStartWithIsRefused(query: String) async throws {
        try await TestServer.with { server in
            let problem = try await server.portalProblem("GET", "/devices?serial=\(query)")
            #expect(problem.status == 400)
            #expect(problem.error == "INVALID_REQUEST")
            #expect(problem.message.contains("letters and digits"))
        }
    }
}
