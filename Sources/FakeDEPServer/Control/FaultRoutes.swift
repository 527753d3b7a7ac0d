import Hummingbird

/// A world's scripted faults under `/_fakedep/worlds/{id}/faults`: add a rule (its id is
/// answered), list them with how often each matched and fired, remove one or all.
struct FaultRoutes {
    let worlds: WorldRegistry

    func add(to router: Router<FakeDEPContext>) {
        let faults = router.group("/_fakedep/worlds/:world/faults")
        faults.post { request, context in
            let world = try worlds.world(try context.parameters.require("world"))
            let rule = try await PortalRoutes.body(FaultRule.self, of: request)
            return try PortalRoutes.json(world.faults.add(rule, at: world.clock.now), status: .created)
        }
        faults.get { _, context in
            let world = try worlds.world(try context.parameters.require("world"))
            return try PortalRoutes.json(world.faults.list(at: world.clock.now))
        }
        faults.delete(":fault") { _, context in
            let world = try worlds.world(try context.parameters.require("world"))
            try world.faults.remove(try context.parameters.require("fault"))
            return Response(status: .noContent)
        }
        faults.delete { _, context in
            try worlds.world(try context.parameters.require("world")).faults.removeAll()
            return Response(status: .noContent)
        }
    }
}
