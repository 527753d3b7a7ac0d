import DEPSync
import DEPTestServer
import DEPWire
import FakeDEPServer
import Foundation
import Testing

/// Assignment through the portal (dep-api §8): by serials, by order, by CSV upload; unassign
/// and release; what the DEP API shows of it (§9); and that a refused request changes nothing.
struct AssignmentPortalTests {
    // MARK: By serial number

    @Test func assigningBySerialsReportsEachLine() async throws {
        try await TestServer.with { server in
            let serials = try await server.portalSerials()
            try await server.createPortalServer("Target")
            try await server.createPortalServer("Lab, Floor 2")
            try await server.assign([serials[0]], to: "Target")
            try await server.assign([serials[1]], to: "Lab, Floor 2")
            _ = try await server.portalValue(
                PortalReport.self, "POST", "/devices/release", json: #"{"serials":["\#(serials[2])"]}"#)

            let report = try await server.assign(
                [
                    serials[3], serials[0], serials[3], "NOTAREALSERIAL1", serials[2], "C02-BAD", serials[1],
                    "  \(serials[4].lowercased()) ",
                ], to: "Target")

            #expect(
                report.lines.map { [String($0.line), $0.serial, $0.outcome] } == [
                    ["1", serials[3], "assigned"],
                    ["2", serials[0], "already_assigned"],
                    ["3", serials[3], "already_assigned"],
                    ["4", "NOTAREALSERIAL1", "unknown_serial"],
                    ["5", serials[2], "released"],
                    ["6", "C02-BAD", "malformed"],
                    ["7", serials[1], "moved"],
                    ["8", serials[4], "assigned"],
                ])
            #expect(report.lines[0].detail == nil)
            #expect(report.lines[1].detail == "already assigned to this server")
            #expect(report.lines[2].detail == "listed again; first on line 1")
            #expect(report.lines[5].detail?.contains("not a serial number") == true)
            #expect(report.lines[6].detail == "moved from Lab, Floor 2")
            #expect(
                report.counts == [
                    "assigned": 2, "moved": 1, "already_assigned": 2, "unknown_serial": 1, "released": 1,
                    "malformed": 1,
                ])

            #expect(try await server.portalSerials("server=Target") == [0, 1, 3, 4].map { serials[$0] })
            #expect(try await server.portalSerials("server=Lab%2C%20Floor%202").isEmpty)
            #expect(try await server.portalSerials("status=released") == [serials[2]])
        }
    }

    @Test func theJSONReportCountsInTheVocabularysOrder() async throws {
        try await TestServer.with { server in
            let serials = try await server.portalSerials()
            try await server.createPortalServer("Target")
            try await server.assign([serials[0]], to: "Target")
            let response = try await server.portal(
                "POST", "/servers/Target/devices",
                json: #"{"serials":["NOTAREALSERIAL1","\#(serials[0])","\#(serials[1])"]}"#)
            #expect(response.header("Content-Type") == "application/json")
            #expect(
                response.text.hasPrefix(#"{"counts":{"assigned":1,"already_assigned":1,"unknown_serial":1},"lines":["#))
        }
    }

    // MARK: By order

    @Test func assigningAnOrderTakesAllItsDevices() async throws {
        try await TestServer.with { server in
            let order = try #require(try await server.portalValue([PortalOrder].self, "GET", "/orders").first)
            let serials = try await server.portalSerials("order=\(order.number)")
            #expect(serials.count == order.deviceCount)
            try await server.createPortalServer("Other")
            try await server.createPortalServer("Target")
            try await server.assign([serials[0]], to: "Other")

            let report = try await server.portalValue(
                PortalReport.self, "POST", "/servers/Target/devices", json: #"{"order":"\#(order.number)"}"#)
            #expect(report.lines.map(\.serial) == serials)
            #expect(report.counts == ["moved": 1, "assigned": serials.count - 1])
            #expect(try await server.portalSerials("server=Target") == serials)

            let again = try await server.portalValue(
                PortalReport.self, "POST", "/servers/Target/devices", json: #"{"order":"\#(order.number)"}"#)
            #expect(again.counts == ["already_assigned": serials.count])
        }
    }

    @Test func aCountPicksThatManyUnassignedDevicesOfTheOrder() async throws {
        try await TestServer.with { server in
            let orders = try await server.portalValue([PortalOrder].self, "GET", "/orders")
            let order = try #require(orders.first { $0.deviceCount >= 5 })
            let serials = try await server.portalSerials("order=\(order.number)")
            try await server.createPortalServer("Other")
            try await server.createPortalServer("Target")
            try await server.assign([serials[1]], to: "Other")

            let first = try await server.portalValue(
                PortalReport.self, "POST", "/servers/Target/devices",
                json: #"{"order":"\#(order.number)","count":2}"#)
            #expect(first.counts == ["assigned": 2])
            #expect(first.lines.map(\.serial) == [serials[0], serials[2]])

            // Asking for more than are left takes what is left, and never moves a device.
            let rest = try await server.portalValue(
                PortalReport.self, "POST", "/servers/Target/devices",
                json: #"{"order":"\#(order.number)","count":1000}"#)
            #expect(rest.counts == ["assigned": serials.count - 3])
            #expect(try await server.portalSerials("server=Other") == [serials[1]])
            #expect(try await server.portalSerials("server=Target").count == serials.count - 1)

            let none = try await server.portalValue(
                PortalReport.self, "POST", "/servers/Target/devices",
                json: #"{"order":"\#(order.number)","count":1}"#)
            #expect(none.lines.isEmpty)
            #expect(none.counts.isEmpty)
        }
    }

    @Test func anUnknownOrderIsNotFound() async throws {
        try await TestServer.with { server in
            try await server.createPortalServer("Target")
            let problem = try await server.portalProblem(
                "POST", "/servers/Target/devices", json: #"{"order":"NO-SUCH-ORDER"}"#)
            #expect(problem.status == 404)
            #expect(problem.error == "UNKNOWN_ORDER")
            #expect(problem.message.contains("NO-SUCH-ORDER"))
        }
    }

    @Test(arguments: [0, -1])
    func aCountMustBePositive(count: Int) async throws {
        try await TestServer.with { server in
            try await server.createPortalServer("Target")
            let order = try #require(try await server.portalValue([PortalOrder].self, "GET", "/orders").first)
            let problem = try await server.portalProblem(
                "POST", "/servers/Target/devices", json: #"{"order":"\#(order.number)","count":\#(count)}"#)
            #expect(problem.status == 400)
            #expect(problem.error == "INVALID_REQUEST")
        }
    }

    @Test(arguments: ["{}", #"{"serials":["ABCDEFGH123"],"order":"X"}"#, #"{"serials":"ABCDEFGH123"}"#, "["])
    func aRequestNamesEitherSerialsOrAnOrder(body: String) async throws {
        try await TestServer.with { server in
            try await server.createPortalServer("Target")
            let problem = try await server.portalProblem("POST", "/servers/Target/devices", json: body)
            #expect(problem.status == 400)
            #expect(problem.error == "INVALID_REQUEST")
        }
    }

    // MARK: By CSV upload

    @Test func aCSVUploadIsReportedLineByLine() async throws {
        try await TestServer.with { server in
            let serials = try await server.portalSerials()
            try await server.createPortalServer("Target")
            try await server.createPortalServer(#"Lab "B", Floor 2"#)
            try await server.assign([serials[4]], to: #"Lab "B", Floor 2"#)
            var upload = Data([0xEF, 0xBB, 0xBF])
            upload += Data(
                [
                    "Serial Number,Note,Extra",  // 1: the header
                    "\(serials[0]),first,x",  // 2
                    "\"\(serials[1].lowercased())\",\"quoted, with a comma\",y",  // 3
                    "",  // 4: blank
                    "ABC\"DEF,a bare quote",  // 5
                    "NOTAREALSERIAL1,unknown",  // 6
                    "\"\(serials[2])\",\"a note over",  // 7
                    "two lines\"",  // 8
                    "\(serials[0]),again",  // 9
                    "  \(serials[3])  ,spaces,,,",  // 10
                    "\(serials[4]),from the lab",  // 11
                    ",,,",  // 12: only empty cells
                ].joined(separator: "\r\n").utf8)
            upload += Data("\r\n".utf8)

            let response = try await server.portal(
                "POST", "/servers/Target/devices/csv", body: upload, contentType: "text/csv")
            #expect(response.status == 200)
            #expect(response.header("Content-Type") == "text/csv; charset=utf-8")
            #expect(
                response.text
                    == [
                        "serial_number,line,outcome,detail",
                        "\(serials[0]),2,assigned,",
                        "\(serials[1]),3,assigned,",
                        ",5,malformed,a double quote inside an unquoted field: "
                            + "quote the whole field and write each quote inside it twice",
                        "NOTAREALSERIAL1,6,unknown_serial,no device of the organisation has this serial number",
                        "\(serials[2]),7,assigned,",
                        "\(serials[0]),9,already_assigned,listed again; first on line 2",
                        "\(serials[3]),10,assigned,",
                        #"\#(serials[4]),11,moved,"moved from Lab ""B"", Floor 2""#,
                        "",
                    ].joined(separator: "\r\n"))
            #expect(try await server.portalSerials("server=Target") == Array(serials[0..<5]))
        }
    }

    /// An upload without one line to act on is a mistake (the wrong file, an export of nothing):
    /// it is refused in words rather than answered with an empty report.
    @Test func anEmptyCSVUploadIsRefusedAndChangesNothing() async throws {
        try await TestServer.with { server in
            try await server.createPortalServer("Target")
            for upload in ["", "\u{FEFF}", "serial_number\r\n", "\r\n\r\n"] {
                let response = try await server.portal(
                    "POST", "/servers/Target/devices/csv", body: Data(upload.utf8), contentType: "text/csv")
                #expect(response.status == 400)
                let problem = try DEPJSON.decode([String: String].self, from: response.body)
                #expect(problem["error"] == "INVALID_REQUEST")
                #expect(problem["message"]?.hasPrefix("The file names no devices") == true)
            }
            let empty = try await server.portal("POST", "/servers/Target/devices", json: #"{"serials":[]}"#)
            #expect(empty.status == 400)
            #expect(try await server.portalSerials("status=assigned").isEmpty)
        }
    }

    // MARK: Unassign and release

    @Test func unassigningReportsEachLine() async throws {
        try await TestServer.with { server in
            let serials = try await server.portalSerials()
            try await server.createPortalServer("Target")
            try await server.assign([serials[0], serials[1]], to: "Target")
            _ = try await server.portalValue(
                PortalReport.self, "POST", "/devices/release", json: #"{"serials":["\#(serials[3])"]}"#)

            let report = try await server.portalValue(
                PortalReport.self, "POST", "/devices/unassign",
                json: #"""
                    {"serials":["\#(serials[0].lowercased())","\#(serials[2])","NOTAREALSERIAL1","\#(serials[0])",
                    "\#(serials[3])","C02-BAD"]}
                    """#)
            #expect(
                report.lines.map { [String($0.line), $0.serial, $0.outcome] } == [
                    ["1", serials[0], "unassigned"],
                    ["2", serials[2], "not_assigned"],
                    ["3", "NOTAREALSERIAL1", "unknown_serial"],
                    ["4", serials[0], "already_assigned"],
                    ["5", serials[3], "released"],
                    ["6", "C02-BAD", "malformed"],
                ])
            #expect(report.lines[3].detail == "listed again; first on line 1")
            #expect(try await server.portalSerials("server=Target") == [serials[1]])
            #expect(try await server.portalValue(MDMServerSummary.self, "GET", "/servers/Target").deviceCount == 1)
        }
    }

    @Test func releasingTakesDevicesOutOfTheOrganisationForGood() async throws {
        try await TestServer.with { server in
            let serials = try await server.portalSerials()
            try await server.createPortalServer("Target")
            try await server.assign([serials[0]], to: "Target")

            let report = try await server.portalValue(
                PortalReport.self, "POST", "/devices/release",
                json: #"{"serials":["\#(serials[0])","\#(serials[1])","NOTAREALSERIAL1","C02-BAD"]}"#)
            #expect(report.outcomes == ["released", "released", "unknown_serial", "malformed"])
            #expect(report.lines[0].detail == nil)

            let released = try await server.portalDevices("status=released")
            #expect(released.map(\.serialNumber) == [serials[0], serials[1]])
            #expect(released.allSatisfy { $0.server == nil && $0.status == "released" })
            #expect(try await server.portalSerials("status=assigned").isEmpty)

            // A released device cannot come back, and releasing it again says it is gone already.
            let assign = try await server.assign([serials[0]], to: "Target")
            #expect(assign.outcomes == ["released"])
            #expect(assign.lines[0].detail == "the device was released from the organisation")
            let order = try #require(released.first?.orderNumber)
            let byOrder = try await server.portalValue(
                PortalReport.self, "POST", "/servers/Target/devices", json: #"{"order":"\#(order)"}"#)
            #expect(!byOrder.lines.contains { $0.serial == serials[0] })
            let again = try await server.portalValue(
                PortalReport.self, "POST", "/devices/release", json: #"{"serials":["\#(serials[0])"]}"#)
            #expect(again.lines[0].detail == "the device was released from the organisation")
        }
    }

    // MARK: What the DEP API sees

    @Test func movingADeviceIsDeletedFromTheOldServerAndAddedToTheNew() async throws {
        try await TestServer.with { server in
            let old = try await EnrolledServer.make(server, name: "Old MDM")
            let new = try await EnrolledServer.make(server, name: "New MDM")
            let serials = try await server.portalSerials()
            try await server.assign([serials[0], serials[1]], to: "Old MDM")
            let oldSession = try await DEPSession(server, old)
            let newSession = try await DEPSession(server, new)
            let oldFetch = try await oldSession.decode(FetchDeviceResponse.self, "POST", "/server/devices", json: "{}")
            #expect(oldFetch.devices?.map(\.serialNumber) == [serials[0], serials[1]])
            let newFetch = try await newSession.decode(FetchDeviceResponse.self, "POST", "/server/devices", json: "{}")
            #expect(newFetch.devices ?? [] == [])

            server.clock.advance(by: 60)  // within the sessions' idle time
            let report = try await server.assign([serials[0]], to: "New MDM")
            #expect(report.outcomes == ["moved"])
            #expect(report.lines[0].detail == "moved from Old MDM")

            let moveTime = TestServer.start.addingTimeInterval(60)
            let oldSync = try await oldSession.decode(
                FetchDeviceResponse.self, "POST", "/devices/sync", json: #"{"cursor":"\#(oldFetch.cursor)"}"#)
            let deleted = try #require(oldSync.devices?.only)
            #expect(deleted.serialNumber == serials[0])
            #expect(deleted.opType == .deleted)
            #expect(deleted.opDate == moveTime)
            #expect(deleted.deviceAssignedDate == nil)

            let newSync = try await newSession.decode(
                FetchDeviceResponse.self, "POST", "/devices/sync", json: #"{"cursor":"\#(newFetch.cursor)"}"#)
            let added = try #require(newSync.devices?.only)
            #expect(added.serialNumber == serials[0])
            #expect(added.opType == .added)
            #expect(added.opDate == moveTime)
            #expect(added.deviceAssignedDate == moveTime)
            #expect(added.profileStatus == .empty)

            let refetch = try await oldSession.decode(FetchDeviceResponse.self, "POST", "/server/devices", json: "{}")
            #expect(refetch.devices?.map(\.serialNumber) == [serials[1]])
        }
    }

    @Test func unassigningAndReleasingAreDeletedFromTheServersSync() async throws {
        try await TestServer.with { server in
            let enrolled = try await EnrolledServer.make(server, name: "Synced MDM")
            let serials = try await server.portalSerials()
            try await server.assign(Array(serials[0..<3]), to: "Synced MDM")
            let session = try await DEPSession(server, enrolled)
            let fetch = try await session.decode(FetchDeviceResponse.self, "POST", "/server/devices", json: "{}")

            _ = try await server.portalValue(
                PortalReport.self, "POST", "/devices/unassign", json: #"{"serials":["\#(serials[1])"]}"#)
            _ = try await server.portalValue(
                PortalReport.self, "POST", "/devices/release", json: #"{"serials":["\#(serials[2])"]}"#)
            let sync = try await session.decode(
                FetchDeviceResponse.self, "POST", "/devices/sync", json: #"{"cursor":"\#(fetch.cursor)"}"#)
            #expect(sync.devices?.map(\.serialNumber) == [serials[1], serials[2]])
            #expect(sync.devices?.map(\.opType) == [.deleted, .deleted])
        }
    }

    // MARK: Failures change nothing

    @Test(arguments: FailingAssignment.allCases)
    func aRefusedRequestChangesNothing(request: FailingAssignment) async throws {
        try await TestServer.with { server in
            let serials = try await server.portalSerials()
            let order = try #require(try await server.portalValue([PortalOrder].self, "GET", "/orders").first)
            try await server.createPortalServer("Target")
            try await server.createPortalServer("Other")
            try await server.assign(Array(serials[0..<3]), to: "Other")
            let devicesBefore = try await server.portalDevices()
            let serversBefore = try await server.portal("GET", "/servers").text

            let (method, path, body) = request.call(serials: serials, order: order.number)
            let response = try await server.portal(
                method, path, body: Data(body.utf8),
                contentType: path.hasSuffix("csv") ? "text/csv" : "application/json")
            let problem = try PortalProblem(response)
            #expect(problem.status == request.status)
            #expect(problem.error == request.code)

            #expect(try await server.portalDevices() == devicesBefore)
            #expect(try await server.portal("GET", "/servers").text == serversBefore)
        }
    }
}

extension Array {
    /// The one element, or `nil` when there are none or several.
    fileprivate var only: Element? { count == 1 ? first : nil }
}
