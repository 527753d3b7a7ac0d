import DEPSync
import DEPTestServer
import DEPTestSupport
import DEPWire
import Foundation
import Testing

/// depsync's events over real HTTP and real processes: a webhook receiver that is down, slow,
/// refusing and back while devices are assigned, unassigned and moved in fakedep's portal; a
/// `depsync` killed in the middle of a delivery; a command and `events` as targets.
@Suite(.enabled(if: DEPSyncBinary.url != nil, "the depsync binary is not built; run `swift build` first"))
struct EventDeliveryTests {
    private func assign(_ serials: [String], to server: String, on fakedep: TestServer) async throws {
        let body = try JSONSerialization.data(withJSONObject: ["serials": serials])
        let path = "/servers/\(server.replacingOccurrences(of: " ", with: "%20"))/devices"
        let answer = try await fakedep.portal("POST", path, body: body, contentType: "application/json")
        #expect(answer.status == 200, "\(answer.text)")
    }

    private func unassign(_ serials: [String], on fakedep: TestServer) async throws {
        let body = try JSONSerialization.data(withJSONObject: ["serials": serials])
        let answer = try await fakedep.portal("POST", "/devices/unassign", body: body, contentType: "application/json")
        #expect(answer.status == 200, "\(answer.text)")
    }

    /// The posts of each event id once, in the order they were first accepted.
    private func firstAccepted(_ receiver: WebhookReceiver) -> [WebhookReceiver.Post] {
        var seen: Set<String> = []
        return receiver.accepted.filter { seen.insert($0.eventID ?? "").inserted }
    }

    private func object(_ post: WebhookReceiver.Post) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: post.body) as? [String: Any])
    }

    /// The pages a `sync` summary says it stored.
    private func pages(_ output: String) -> Int {
        guard let range = output.range(of: #"in (\d+) pages"#, options: .regularExpression) else { return 0 }
        return Int(output[range].split(separator: " ")[1]) ?? 0
    }

    @Test func everyChangeReachesAReceiverThatIsDownThenSlowThenRefusingThenBackInOrder() async throws {
        try await DEPSyncBinary.withServer { server, cli in
            try await cli.enrol(server)
            let other = try JSONSerialization.data(withJSONObject: ["name": "Other MDM"])
            _ = try await server.portal("POST", "/servers", body: other, contentType: "application/json")
            let receiver = WebhookReceiver(port: try FreePort.pick(), secret: "s3cret")
            defer { Task { await receiver.stop() } }
            let serials = try await server.freeSerials(11)
            var pageCount = 0

            // Down: nothing listens; the round's events stay in the outbox.
            try await assign(Array(serials[0..<8]), to: "CLI MDM", on: server)
            let down = try await cli.run([
                "sync", "--once", "--webhook", receiver.url, "--webhook-secret", "s3cret", "--webhook-timeout", "1",
                "--max-wait", "1",
            ])
            #expect(down.status == 0, "\(down)")
            #expect(down.standardOutput.contains("Full fetch: 8 received"))
            #expect(down.standardOutput.contains("Events: 0 delivered"), "\(down)")
            #expect(down.standardOutput.contains("still failing, kept for the next run"))
            pageCount += pages(down.standardOutput)
            let status = try await cli.run(["status"])
            #expect(status.standardOutput.contains("  webhook \(receiver.url): "), "\(status)")
            #expect(status.standardOutput.contains("failed tries"), "\(status)")

            // Slow: each post outlives the one-second timeout.
            try await receiver.start()
            receiver.behave(.slow(seconds: 2))
            try await unassign([serials[0]], on: server)
            try await assign(Array(serials[8..<10]), to: "CLI MDM", on: server)
            let slow = try await cli.run(["sync", "--once", "--max-wait", "1"])
            #expect(slow.standardOutput.contains("Events: 0 delivered"), "\(slow)")
            pageCount += pages(slow.standardOutput)

            // Refusing: busy, come back in a second.
            receiver.behave(.refuse(status: 503, retryAfter: 1))
            try await assign([serials[1]], to: "Other MDM", on: server)
            try await assign([serials[10]], to: "CLI MDM", on: server)
            let refusing = try await cli.run(["sync", "--once", "--max-wait", "1"])
            #expect(refusing.standardOutput.contains("Events: 0 delivered"), "\(refusing)")
            pageCount += pages(refusing.standardOutput)

            // Back: everything arrives, the last round's changes after the rest.
            receiver.behave(.accept)
            try await unassign([serials[2]], on: server)
            let back = try await cli.run(["sync", "--once", "--max-wait", "60"])
            #expect(back.status == 0, "\(back)")
            #expect(!back.standardOutput.contains("still failing"), "\(back)")
            pageCount += pages(back.standardOutput)
            #expect(try await cli.run(["status"]).standardOutput.contains(": 0 pending, 0 failed"))

            #expect(receiver.posts.allSatisfy { $0.signatureHolds })
            let events = firstAccepted(receiver)
            #expect(events.filter { $0.topic?.hasPrefix("dep.") == true }.count == pageCount)
            // Each device's history, from the changes in the order they arrived.
            var history: [String: [String]] = [:]
            for event in events where event.topic == "depsync.DevicesChanged" {
                let body = try #require(try object(event)["devices_changed_event"] as? [String: Any])
                for change in try #require(body["devices"] as? [[String: Any]]) {
                    let serial = try #require(change["serial_number"] as? String)
                    history[serial, default: []].append(try #require(change["change"] as? String))
                }
            }
            for serial in serials[0..<3] { #expect(history[serial] == ["added", "removed"], "\(serial)") }
            for serial in serials[3...] { #expect(history[serial] == ["added"], "\(serial)") }
            // Events arrive in the order they were made: each round's after the previous one's.
            let rounds = try events.compactMap { event -> String? in
                guard event.topic == "depsync.DevicesChanged" else { return nil }
                let body = try #require(try object(event)["devices_changed_event"] as? [String: Any])
                let devices = try #require(body["devices"] as? [[String: Any]])
                return devices.map { "\($0["change"] ?? "") \($0["serial_number"] ?? "")" }.joined(separator: ",")
            }
            let removals = [serials[0], serials[1], serials[2]].map { serial in
                rounds.firstIndex { $0.contains("removed \(serial)") } ?? -1
            }
            #expect(removals == removals.sorted() && !removals.contains(-1), "\(rounds)")

            let responses = try events.filter { $0.topic?.hasPrefix("dep.") == true }.map { event in
                let body = try #require(try object(event)["device_response_event"] as? [String: Any])
                return (
                    schema: "FetchDeviceResponse",
                    json: try JSONSerialization.data(withJSONObject: try #require(body["device_response"]))
                )
            }
            try SchemaValidator.validate(responses)
        }
    }

    @Test func anEventInFlightWhenDepsyncIsKilledIsDeliveredAgainWithItsId() async throws {
        try await DEPSyncBinary.withServer { server, cli in
            try await cli.enrol(server)
            let receiver = WebhookReceiver(port: try FreePort.pick())
            try await receiver.start()
            defer { Task { await receiver.stop() } }
            receiver.behave(.slow(seconds: 3))
            try await assign(try await server.freeSerials(3), to: "CLI MDM", on: server)

            let daemon = try cli.start([
                "sync", "--interval", "60", "--webhook", receiver.url, "--webhook-timeout", "60",
            ])
            for _ in 0..<1000 where receiver.arrivals.isEmpty { try await Task.sleep(for: .milliseconds(20)) }
            daemon.send(SIGKILL)
            #expect(try await daemon.outcome().status == 128 + SIGKILL)
            let inFlight = try #require(receiver.arrivals.first)

            receiver.behave(.accept)
            let again = try await cli.run(["sync", "--once", "--max-wait", "30"])
            #expect(again.status == 0, "\(again)")
            #expect(!again.standardOutput.contains("still failing"), "\(again)")

            let redelivered = receiver.posts.filter { $0.answered == 200 && $0.eventID == inFlight.eventID }
            #expect(!redelivered.isEmpty)
            #expect(redelivered.allSatisfy { $0.body == inFlight.body })
            // The killed round's events all arrive, each id once at least, the one in flight first.
            let ids = firstAccepted(receiver).compactMap(\.eventID)
            #expect(ids.first == inFlight.eventID)
            #expect(ids.count == Set(ids).count)
            let topics = firstAccepted(receiver).compactMap(\.topic)
            #expect(topics.prefix(2) == ["dep.FetchDevices", "depsync.DevicesChanged"])
        }
    }

    @Test func aCommandAndEventsGetTheSameEventsAndBadTargetsChangeNothing() async throws {
        try await DEPSyncBinary.withServer { server, cli in
            try await cli.enrol(server)
            let refused = try await cli.run(["sync", "--once", "--webhook", "ftp://example.com/hook"])
            #expect(refused.status != 0)
            #expect(refused.standardError.contains("the webhook needs an http:// or https:// URL"), "\(refused)")
            #expect(!FileManager.default.fileExists(atPath: cli.state.appendingPathComponent("event-targets").path))

            let none = try await cli.run(["events"])
            #expect(none.status == 0, "\(none)")
            #expect(none.output.isEmpty)
            try await assign(try await server.freeSerials(2), to: "CLI MDM", on: server)
            let log = cli.directory.appendingPathComponent("events.jsonl").path
            let synced = try await cli.run([
                "sync", "--once", "--exec", #"cat >> "\#(log)"; printf '\n' >> "\#(log)""#,
            ])
            #expect(synced.status == 0, "\(synced)")
            #expect(synced.standardOutput.contains("Events: 3 delivered."), "\(synced)")

            let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
            let followed = try await cli.run(["events"])
            let printed = followed.standardOutput.split(separator: "\n")
            #expect(printed == lines)
            #expect(printed.count == 3)
            let first = try #require(
                try JSONSerialization.jsonObject(with: Data(printed[0].utf8)) as? [String: Any])
            #expect(first["topic"] as? String == "dep.FetchDevices")
            // Printed once: a second run has nothing new.
            #expect(try await cli.run(["events"]).output.isEmpty)
            let gone = try await cli.run(["events", "--from", first["event_id"] as? String ?? ""])
            #expect(gone.status != 0)
            #expect(gone.standardError.contains("is in the outbox"))
            #expect(try await cli.run(["status"]).standardOutput.contains("  exec `"))
        }
    }
}
