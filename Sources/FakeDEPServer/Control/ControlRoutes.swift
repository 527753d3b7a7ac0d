import DEPWire
import Hummingbird

/// The test-control surface under `/_fakedep/`: worlds to create, list, reset and drop. Answers
/// and refusals are JSON, as on the portal. `Resources/ControlAPI/openapi.json` documents every
/// route of it; a test holds the two to each other.
struct ControlRoutes {
    let worlds: WorldRegistry

    func add(to router: Router<FakeDEPContext>) {
        let control = router.group("/_fakedep")
        control.post("worlds") { request, _ in
            let body = try await PortalRoutes.body(NewWorld.self, of: request, emptyIsObject: true)
            return try PortalRoutes.json(
                try await worlds.create(name: body.name, seed: body.seed ?? .mock), status: .created)
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
}

/// `POST /_fakedep/worlds`: both fields optional; the seed defaults to the mock organisation.
struct NewWorld: Decodable {
    var name: String?
    var seed: WorldSeed?
}
