import DEPSync
import DEPTestServer
import DEPWire
import FakeDEPServer
import Foundation
import Testing

/// depsync's profile assignments against fakedep's shipped scenarios whose answers say 200 and
/// per device otherwise, over libcurl: the agent syncs Test MDM's 40 devices, defines a profile
/// and assigns it to every device without one, as an MDM's periodic job does, again and again.
/// A device answered `THROTTLED` or `FAILED` rests (for `retry_after_seconds`, for 24 hours) and
/// no call sends it before its rest is over; the journal's world times show the rest.
///
/// The agent judges by its own clock; here the test's clock, which the world's follows, so that
/// moving it moves both.
struct ScenarioAssignmentTests {
    @Test func throttledDevicesAreRetriedAfterTheirRetryAfterSecondsAndNotBefore() async throws {
        try await ScenarioWorld.with("throttled-assignment") { scenario in
            _ = try await scenario.agent.sync()
            let uuid = try await scenario.defineProfile()

            // A wait longer than the call sits out (`--max-wait 10`) is left to a later call.
            let throttled = try await scenario.agent.assignProfile(uuid, to: [], unassigned: true, maxWait: 10)
            #expect(throttled.requests == 1)
            #expect(throttled.count(.throttled) == 40)
            #expect(throttled.retryNotBefore == TestServer.start.addingTimeInterval(30))
            let waiting = try await scenario.storedDevices()
            #expect(waiting.allSatisfy { $0.profileState == .noProfile && $0.assignResult == "THROTTLED" })

            for wait in [0.0, 29] {
                scenario.server.clock.advance(by: wait)
                let early = try await scenario.agent.assignProfile(uuid, to: [], unassigned: true, maxWait: 10)
                #expect(early.requests == 0 && early.resting == 40)
                #expect(early.count(.throttled) == 40)
                #expect(early.retryNotBefore == TestServer.start.addingTimeInterval(30))
            }
            scenario.server.clock.advance(by: 1)
            let retried = try await scenario.agent.assignProfile(uuid, to: [], unassigned: true, maxWait: 10)
            #expect(retried.requests == 1 && retried.count(.success) == 40)
            #expect(retried.retryNotBefore == nil)
            #expect(try await scenario.storedDevices().allSatisfy { $0.profileState == .assigned })

            let assignments = try scenario.journal("assign_profile")
            #expect(assignments.map(\.status) == [200, 200])
            #expect(assignments.map(\.fault) == ["f1: devices THROTTLED retry_after_seconds: 30", nil])
            #expect(assignments[1].worldTime.timeIntervalSince(assignments[0].worldTime) >= 30)
        }
    }

    @Test func failedDevicesAreReportedAndNotRetriedWithinADay() async throws {
        try await ScenarioWorld.with("failed-devices") { scenario in
            _ = try await scenario.agent.sync()
            let uuid = try await scenario.defineProfile()

            let failed = try await scenario.agent.assignProfile(uuid, to: [], unassigned: true)
            #expect(failed.requests == 1)
            #expect(failed.count(.failed) == 40 && failed.count(.success) == 0)
            let unassigned = try await scenario.storedDevices()
            #expect(unassigned.allSatisfy { $0.profileState == .noProfile && $0.assignResult == "FAILED" })

            let day = ProfileAssigner.failedCooldown
            for wait in [0.0, day - 1] {
                scenario.server.clock.advance(by: wait)
                let resting = try await scenario.agent.assignProfile(uuid, to: [], unassigned: true)
                #expect(resting.requests == 0 && resting.resting == 40)
                #expect(resting.count(.failed) == 40)
                #expect(resting.retryNotBefore == TestServer.start.addingTimeInterval(day))
            }
            // A day on, they are tried again (and this world fails them again).
            scenario.server.clock.advance(by: 1)
            let again = try await scenario.agent.assignProfile(uuid, to: [], unassigned: true)
            #expect(again.requests == 1 && again.count(.failed) == 40)

            let assignments = try scenario.journal("assign_profile")
            #expect(assignments.count == 2)
            #expect(assignments.allSatisfy { $0.status == 200 && $0.fault == "f1: devices FAILED" })
            #expect(assignments[1].worldTime.timeIntervalSince(assignments[0].worldTime) >= day)
        }
    }
}
