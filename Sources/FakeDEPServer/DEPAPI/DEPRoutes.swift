import DEPWire
import Hummingbird

/// Apple's DEP API at the root paths `mdmenrollment.apple.com` serves (dep-api §0): each route
/// reads its request, asks `World`, and writes the answer.
struct DEPRoutes {
    /// `http` or `https`, as the server serves: the URL a client signs (OAuth 1.0a) starts with it.
    let scheme: String

    func add(to router: Router<FakeDEPContext>) {
        router.get("/session") { request, context in
            _ = try DEPCall(request)
            let host = request.head.authority ?? "127.0.0.1"
            let token = try await context.world.openSession(
                authorization: request.headers[.authorization], method: request.method.rawValue,
                url: "\(scheme)://\(host)\(request.uri.path)")
            return try DEPCall.json(SessionResponse(authSessionToken: token))
        }

        router.get("/account") { request, context in
            let call = try DEPCall(request)
            return try DEPCall.json(try await context.world.account(session: call.session, version: call.version))
        }

        router.post("/server/devices") { request, context in
            let call = try DEPCall(request)
            let body = try await DEPCall.body(FetchDeviceRequest.self, of: request, emptyIsObject: true)
            return DEPCall.json(
                body: try await context.world.fetchDevices(
                    session: call.session, cursor: body.cursor, limit: body.limit, version: call.version))
        }

        router.post("/devices/sync") { request, context in
            let call = try DEPCall(request)
            // An empty body is a sync without a cursor: `CURSOR_REQUIRED` says what is missing.
            let body = try await DEPCall.body(SyncDeviceRequest.self, of: request, emptyIsObject: true)
            return DEPCall.json(
                body: try await context.world.syncDevices(
                    session: call.session, cursor: body.cursor, limit: body.limit, version: call.version))
        }

        router.post("/devices") { request, context in
            let call = try DEPCall(request)
            let body = try await DEPCall.body(DeviceListRequest.self, of: request)
            return try DEPCall.json(
                try await context.world.deviceDetails(
                    session: call.session, serials: body.devices, version: call.version))
        }

        router.post("/devices/disown") { request, context in
            let call = try DEPCall(request)
            let body = try await DEPCall.body(DeviceListRequest.self, of: request)
            return try DEPCall.json(try await context.world.disown(session: call.session, serials: body.devices))
        }

        addProfileRoutes(to: router)
        addDeviceServiceRoutes(to: router)
    }

    private func addProfileRoutes(to router: Router<FakeDEPContext>) {
        router.post("/profile") { request, context in
            let call = try DEPCall(request)
            let profile = try await DEPCall.body(Profile.self, of: request)
            return try DEPCall.json(
                try await context.world.defineProfile(session: call.session, profile, version: call.version))
        }
        router.get("/profile") { request, context in
            let call = try DEPCall(request)
            let uuid = request.uri.queryParameters.get("profile_uuid")
            return try DEPCall.json(
                try await context.world.profile(session: call.session, uuid: uuid, version: call.version))
        }

        // Apple documents POST; PUT is what nanodep, fleet and micromdm send, and it works (§3.8).
        for method in [HTTPRequest.Method.put, .post] {
            router.on("/profile/devices", method: method) { request, context in
                let call = try DEPCall(request)
                let body = try await DEPCall.body(ProfileServiceRequest.self, of: request)
                return try DEPCall.json(
                    try await context.world.assignProfile(session: call.session, body, version: call.version))
            }
        }
        router.delete("/profile/devices") { request, context in
            let call = try DEPCall(request)
            let body = try await DEPCall.body(ClearProfileRequest.self, of: request)
            return try DEPCall.json(try await context.world.removeProfile(session: call.session, body))
        }
    }

    private func addDeviceServiceRoutes(to router: Router<FakeDEPContext>) {
        router.post("/device/activationlock") { request, context in
            let call = try DEPCall(request)
            let body = try await DEPCall.body(ActivationLockRequest.self, of: request)
            return try DEPCall.json(try await context.world.activationLock(session: call.session, body))
        }

        router.get("/device/replacementDetails") { request, context in
            let call = try DEPCall(request)
            let serial = request.uri.queryParameters.get("device")
            return try DEPCall.json(
                try await context.world.replacementDetails(session: call.session, serial: serial, version: call.version)
            )
        }

        router.get("/os-beta-enrollment/tokens") { request, context in
            let call = try DEPCall(request)
            return try DEPCall.json(try await context.world.betaEnrollmentTokens(session: call.session))
        }

        let adePath: RouterPath = "/account-driven-enrollment/profile"
        router.post(adePath) { request, context in
            let call = try DEPCall(request)
            let body = try await DEPCall.body(AccountDrivenEnrollmentProfileRequest.self, of: request)
            try await context.world.setServiceDiscoveryURL(session: call.session, body)
            return DEPCall.empty
        }
        router.get(adePath) { request, context in
            let call = try DEPCall(request)
            return try DEPCall.json(try await context.world.serviceDiscoveryURL(session: call.session))
        }
        router.delete(adePath) { request, context in
            let call = try DEPCall(request)
            try await context.world.removeServiceDiscoveryURL(session: call.session)
            return DEPCall.empty
        }
    }
}
