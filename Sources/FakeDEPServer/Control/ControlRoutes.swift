import DEPWire
import Foundation
import Hummingbird

/// The test-control surface under `/_fakedep/`: worlds to create, list, reset and drop. Answers
/// and refusals are JSON, as on the portal. `Resources/OpenAPI/control.json` documents every
/// route of it; a test holds the two to each other.
struct ControlRoutes {
    let worlds: WorldRegistry

    func add(to router: Router<FakeDEPContext>) {
        let control = router.group("/_fakedep")
        control.post("worlds") { request, _ in
            // Checked whatever the body: a mistyped value is refused, not quietly ignored.
            let tokens = try Self.tokens(request)
            // A snapshot sent without its media type is told apart by its first line.
            if WorldSnapshot.isMediaType(request.headers[.contentType]) {
                let upload = try await UploadFile.receive(request.body, suffix: WorldSnapshot.fileExtension)
                return try await create(from: upload, request, tokens: tokens)
            }
            let buffer = try await request.body.collect(upTo: 64 << 20)
            if WorldSnapshot.startsWithHeader(buffer.readableBytesView) {
                let upload = try await UploadFile.receive(
                    RequestBody(buffer: buffer), suffix: WorldSnapshot.fileExtension)
                return try await create(from: upload, request, tokens: tokens)
            }
            let body = try PortalRoutes.decode(NewWorld.self, from: buffer, emptyIsObject: true)
            guard body.seed != .snapshot, body.seed != .scenario else {
                throw PortalError(
                    .invalidRequest, "A world is made from a snapshot or scenario by sending it, not by naming it.")
            }
            if let document = body.scenario {
                guard body.seed == nil else {
                    throw PortalError(.invalidRequest, "A world has a seed or a scenario, not both.")
                }
                let scenario = try Scenario(ScenarioValue(document, path: ""))
                return try PortalRoutes.json(
                    try await worlds.create(name: body.name, scenario: scenario), status: .created)
            }
            return try PortalRoutes.json(
                try await worlds.create(name: body.name, seed: body.seed ?? .mock), status: .created)
        }
        control.get("worlds/:world/snapshot") { _, context in
            let id = try context.parameters.require("world")
            let file = try UploadFile.create(suffix: WorldSnapshot.fileExtension)
            let handle = try FileHandle(forWritingTo: file.url)
            defer { try? handle.close() }
            try await worlds.writeSnapshot(of: id, to: handle)
            try handle.synchronize()
            let headers: HTTPFields = [
                .contentType: WorldSnapshot.mediaType,
                .contentDisposition: "attachment; filename=\"\(id).\(WorldSnapshot.fileExtension)\"",
            ]
            return try FileResponse.make(file.url, headers: headers, keeping: file)
        }
        control.get("worlds") { _, _ in try PortalRoutes.json(worlds.list()) }
        control.get("worlds/:world") { _, context in
            try PortalRoutes.json(try worlds.summary(try context.parameters.require("world")))
        }
        control.delete("worlds/:world") { _, context in
            try worlds.delete(try context.parameters.require("world"))
            return Response(status: .noContent)
        }
        control.post("worlds/:world/reset") { _, context in
            try PortalRoutes.json(try await worlds.reset(try context.parameters.require("world")))
        }
        JournalRoutes(worlds: worlds).add(to: control)
        HealthRoutes().add(to: control)
        OpenAPIRoutes().add(to: control)
    }

    /// `POST /_fakedep/worlds` with a snapshot: the query may name the world and say what
    /// becomes of the snapshot's tokens (`tokens=keep`, the default, or `drop`).
    private func create(from upload: UploadFile, _ request: Request, tokens: WorldSnapshot.Tokens) async throws
        -> Response
    {
        let query = request.uri.queryParameters
        let summary = try await worlds.create(
            name: query["name"].map(String.init), snapshot: upload, tokens: tokens)
        return try PortalRoutes.json(summary, status: .created)
    }
}

extension ControlRoutes {
    /// The `tokens` query parameter of `POST /_fakedep/worlds`: `keep` when absent.
    static func tokens(_ request: Request) throws -> WorldSnapshot.Tokens {
        guard let value = request.uri.queryParameters["tokens"].map(String.init) else { return .keep }
        guard let known = WorldSnapshot.Tokens(rawValue: value) else {
            throw PortalError(.invalidRequest, "tokens is keep (the default) or drop.")
        }
        return known
    }
}

/// `POST /_fakedep/worlds`: both fields optional; the seed defaults to the mock organisation.
struct NewWorld: Decodable {
    var name: String?
    var seed: WorldSeed?
    /// A scenario document (`Scenario`) instead of a seed.
    var scenario: JSONValue?
}
