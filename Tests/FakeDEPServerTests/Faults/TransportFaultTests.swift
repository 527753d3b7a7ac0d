import DEPSync
import DEPTestServer
import DEPWire
import FakeDEPServer
import Foundation
import Testing

/// `transport` faults, seen by libcurl as a client sees them: a reset, an empty reply, a body cut
/// short, a malformed chunk; each journaled with what went out, and the server serving on.
struct TransportFaultTests {
    @Test(arguments: [
        ("reset", 56, 0), ("empty_reply", 52, 0), (#"{"cut_after":10}"#, 18, 200), ("malformed_chunk", 56, 200),
    ])
    func aTransportFaultFailsTheConnectionAsACLientSeesIt(transport: String, curlCode: Int, status: Int)
        async throws
    {
        try await TestServer.with { server in
            let session = try await DEPSession(server, try await EnrolledServer.make(server))
            let action = transport.hasPrefix("{") ? transport : #""\#(transport)""#
            _ = try await FaultRuleTests.add(server, #"{"operation":"account","times":1,"transport":\#(action)}"#)

            let client = HTTPClient(userAgent: "transport-fault-test/1.0")
            let request = HTTPRequest(
                method: "GET", url: server.baseURL + "/account",
                headers: [(DEPHeader.authSession, session.token), (DEPHeader.protocolVersion, "10")])
            do {
                let answer = try await client.send(request)
                Issue.record("answered \(answer.status) \(answer.text)")
            } catch let error as TransportError {
                #expect(error.code == curlCode, "\(error)")
            }
            // The next request is served as usual, on a new connection.
            #expect(try await client.send(request).status == 200)

            let entry = try #require(
                try await JournalTests.journal(server, query: "operation=account").entries.first)
            #expect(entry.status == status)
            #expect(entry.fault?.hasPrefix("f1: transport ") == true, "\(entry)")
            if status == 200 { #expect(entry.responseBody?.isEmpty == false) }
        }
    }

    @Test func aCutBodyKeepsItsFullLengthInTheHeadAndSendsOnlyItsFirstBytes() async throws {
        try await TestServer.with { server in
            _ = try await FaultRuleTests.add(server, #"{"operation":"portal_list_orders","transport":{"cut_after":5}}"#)
            let connection = try await RawConnection(port: server.port)
            try await connection.send("GET /portal/orders HTTP/1.1\r\nHost: localhost\r\n\r\n")
            let text = String(decoding: try await connection.readToEnd(), as: UTF8.self)
            let (head, body) = try #require(text.split(separator: "\r\n\r\n", maxSplits: 1).twoParts)
            let length = try #require(
                head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") })
            #expect(Int(length.split(separator: " ").last ?? "") ?? 0 > 5)
            #expect(body.utf8.count == 5)
            #expect(head.contains("Connection: close"))
        }
    }
}

extension Array where Element == Substring {
    /// The two parts of a split in two.
    fileprivate var twoParts: (Substring, Substring)? { count == 2 ? (self[0], self[1]) : nil }
}
