import DEPSync
import DEPTestServer
import DEPTestSupport
import DEPWire
import FakeDEPServer
import Foundation
import Testing

/// `fakedep fault …`, run as the built binary.
@Suite(.enabled(if: FakeDEPBinary.url != nil, "the fakedep binary is not built; run `swift build` first"))
struct FaultCommandLineTests {
    @Test func faultRulesAreAddedListedAndRemovedFromTheCommandLine() async throws {
        try await ScratchDirectory.with { directory in
            try await TestServer.with { server in
                let id = try await WorldTests.createWorld(server)
                let add = try await FakeDEPBinary.run(
                    [
                        "fault", "add", "--world", id, "--operation", "portal_list_orders", "--times", "1", "--error",
                        "503", "--retry-after", "7",
                    ], server: server, in: directory)
                #expect(add.status == 0, "\(add)")
                #expect(add.standardOutput == "f1\n")
                let json = try await FakeDEPBinary.run(
                    [
                        "fault", "add", "--world", id, "--json",
                        #"{"operation":"portal_list_orders","latency":{"ms":1}}"#,
                    ],
                    server: server, in: directory)
                #expect(json.standardOutput == "f2\n", "\(json)")

                let world = server.inWorld(id)
                let refused = try await world.portal("GET", "/orders")
                #expect(refused.status == 503)
                #expect(refused.header("Retry-After") == "7")
                #expect(try await world.portal("GET", "/orders").status == 200)
                let journal = try await FakeDEPBinary.run(["journal", "--world", id], server: server, in: directory)
                #expect(journal.standardOutput.contains("fault=f1: error 503 Service Unavailable Retry-After: 7"))

                let list = try await FakeDEPBinary.run(["fault", "list", "--world", id], server: server, in: directory)
                #expect(list.standardOutput.contains("f1  matched 2  fired 1"), "\(list)")
                #expect(list.standardOutput.contains("f2  matched 1  fired 1"), "\(list)")

                let bad = try await FakeDEPBinary.run(
                    ["fault", "add", "--world", id, "--operation", "fetch", "--error", "503"], server: server,
                    in: directory)
                #expect(bad.status != 0)
                #expect(bad.standardError.contains("\"fetch\" is not one of"), "\(bad)")

                let remove = try await FakeDEPBinary.run(
                    ["fault", "remove", "f1", "--world", id], server: server, in: directory)
                #expect(remove.status == 0, "\(remove)")
                let all = try await FakeDEPBinary.run(
                    ["fault", "remove", "--all", "--world", id], server: server, in: directory)
                #expect(all.status == 0, "\(all)")
                let empty = try await FakeDEPBinary.run(
                    ["fault", "list", "--world", id], server: server, in: directory)
                #expect(empty.standardOutput.isEmpty)
            }
        }
    }
}
