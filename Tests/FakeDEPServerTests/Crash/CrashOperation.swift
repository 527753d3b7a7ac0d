import DEPSync
import Foundation

/// An operation a kill may interrupt, sent to a `fakedep serve` on a copy of the `CrashStore`.
enum CrashOperation: String, CaseIterable, Sendable {
    case csvAssignment = "a 100,000-serial CSV assignment"
    case seed = "a seed of 20,000 devices"
    case worldCreation = "a kept world of 20,000 devices"
    case profileAssignment = "a profile assigned to 1,000 devices"

    /// The devices a seed or a new world adds.
    static let generatedDevices = 20_000

    /// What the operation needs before it starts (a DEP session for the profile assignment): the
    /// headers its request carries.
    func prepare(_ serve: ServeProcess, _ store: CrashStore) async throws -> [(name: String, value: String)] {
        guard self == .profileAssignment else { return [] }
        return try await MDMView.openSession(serve, server: CrashStore.profileServer, keyPair: store.keyPair)
    }

    /// Sends the operation's request and returns the answer.
    func perform(_ serve: ServeProcess, _ store: CrashStore, headers: [(name: String, value: String)]) async throws
        -> HTTPResponse
    {
        switch self {
        case .csvAssignment:
            let csv = (["serial_number"] + store.csvSerials).joined(separator: "\n") + "\n"
            return try await serve.send(
                "POST", "/portal/servers/\(MDMView.escape(CrashStore.csvServer))/devices/csv", body: Data(csv.utf8),
                contentType: "text/csv")
        case .seed:
            return try await serve.send(
                "POST", "/portal/seed", body: Data(#"{"devices":\#(Self.generatedDevices),"seed":8}"#.utf8))
        case .worldCreation:
            return try await serve.send(
                "POST", "/_fakedep/worlds",
                body: Data(#"{"name":"crash","seed":{"devices":\#(Self.generatedDevices),"seed":9}}"#.utf8))
        case .profileAssignment:
            let body = try JSONSerialization.data(withJSONObject: [
                "profile_uuid": store.profileUUID, "devices": store.profileSerials,
            ])
            return try await serve.send("PUT", "/profile/devices", body: body, headers: headers)
        }
    }
}
