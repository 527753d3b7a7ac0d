public import DEPWire
import Foundation

/// One method per endpoint of dep-api §0.
extension DEPClient {
    /// `GET /account`: the MDM server and its organisation, with per-endpoint limits.
    public func account() async throws(DEPClientError) -> AccountDetail {
        try await call("GET", "/account", sending: Optional<Empty>.none, as: AccountDetail.self)
    }

    /// `POST /server/devices`: a page of the full device list.
    public func fetchDevices(cursor: String?, limit: Int?) async throws(DEPClientError) -> FetchDeviceResponse {
        try await fetchPage(cursor: cursor, limit: limit).page
    }

    /// `POST /devices/sync`: a page of changes since `cursor`.
    public func syncDevices(cursor: String, limit: Int?) async throws(DEPClientError) -> FetchDeviceResponse {
        try await syncPage(cursor: cursor, limit: limit).page
    }

    /// `POST /server/devices`, with the page's bytes as received (handed on in its event).
    public func fetchPage(cursor: String?, limit: Int?) async throws(DEPClientError) -> ReceivedPage {
        try await page("/server/devices", FetchDeviceRequest(cursor: cursor, limit: limit), limit: limit)
    }

    /// `POST /devices/sync`, with the page's bytes as received (handed on in its event).
    public func syncPage(cursor: String, limit: Int?) async throws(DEPClientError) -> ReceivedPage {
        try await page("/devices/sync", SyncDeviceRequest(cursor: cursor, limit: limit), limit: limit)
    }

    /// Apple's largest page (dep-api §3.2), the most a page asked for without a limit may hold.
    public static let largestPage = 1000

    /// A fetch or sync page, read with DEPWire's fast page reader (pages are most of the bytes
    /// a sync moves). A page with more devices than asked for (`largestPage` when no limit was
    /// given), or whose cursor holds control characters (it could not be stored or sent back as
    /// received), is malformed.
    private func page(_ path: String, _ request: some Encodable, limit: Int?) async throws(DEPClientError)
        -> ReceivedPage
    {
        let received = try await call("POST", path, sending: request) { json in
            try FetchDeviceResponse.readKeepingBytes(json: json, limit: limit ?? Self.largestPage)
        }
        let cursor = received.page.cursor
        guard !cursor.containsControlCharacters else {
            throw .malformedResponse(
                path: path,
                reason: "the cursor holds control characters (\(cursor.prefix(64).escapingControlCharacters))")
        }
        return received
    }

    /// `POST /devices`: the details of the given devices.
    public func deviceDetails(_ serials: [String]) async throws(DEPClientError) -> DeviceListResponse {
        try await call("POST", "/devices", sending: DeviceListRequest(devices: serials), as: DeviceListResponse.self)
    }

    /// `POST /devices/disown` (deprecated by Apple, destructive).
    public func disownDevices(_ serials: [String]) async throws(DEPClientError) -> DeviceStatusResponse {
        try await call(
            "POST", "/devices/disown", sending: DeviceListRequest(devices: serials), as: DeviceStatusResponse.self)
    }

    /// `POST /profile`: defines a profile and returns its UUID.
    public func defineProfile(_ profile: Profile) async throws(DEPClientError) -> DefineProfileResponse {
        let response = try await call("POST", "/profile", sending: profile, as: DefineProfileResponse.self)
        // The UUID is stored and sent back; one with control characters could be neither as received.
        guard !response.profileUUID.containsControlCharacters else {
            throw .malformedResponse(
                path: "/profile",
                reason:
                    "the profile UUID holds control characters (\(response.profileUUID.prefix(64).escapingControlCharacters))"
            )
        }
        return response
    }

    /// `GET /profile?profile_uuid=…`.
    public func profile(_ uuid: String) async throws(DEPClientError) -> Profile {
        let query = PercentEncoding.encode(uuid)
        return try await call("GET", "/profile?profile_uuid=\(query)", sending: Optional<Empty>.none, as: Profile.self)
    }

    /// `PUT /profile/devices`: assigns a profile to at most 1000 devices (Apple's limit).
    public func assignProfile(_ uuid: String, to serials: [String]) async throws(DEPClientError)
        -> AssignProfileResponse
    {
        try await call(
            "PUT", "/profile/devices", sending: ProfileServiceRequest(profileUUID: uuid, devices: serials),
            as: AssignProfileResponse.self)
    }

    /// `DELETE /profile/devices`: removes whatever profile the devices have.
    public func removeProfile(from serials: [String]) async throws(DEPClientError) -> ClearProfileResponse {
        try await call(
            "DELETE", "/profile/devices", sending: ClearProfileRequest(devices: serials),
            as: ClearProfileResponse.self)
    }

    /// `POST /device/activationlock`.
    public func activationLock(_ request: ActivationLockRequest) async throws(DEPClientError)
        -> ActivationLockStatusResponse
    {
        try await call("POST", "/device/activationlock", sending: request, as: ActivationLockStatusResponse.self)
    }

    /// `GET /device/replacementDetails?device=…` (protocol 10).
    public func replacementDetails(_ serial: String) async throws(DEPClientError) -> ReplacementDetails {
        let query = PercentEncoding.encode(serial)
        return try await call(
            "GET", "/device/replacementDetails?device=\(query)", sending: Optional<Empty>.none,
            as: ReplacementDetails.self)
    }

    /// `GET /os-beta-enrollment/tokens`.
    public func seedBuildTokens() async throws(DEPClientError) -> GetSeedBuildTokenResponse {
        try await call(
            "GET", "/os-beta-enrollment/tokens", sending: Optional<Empty>.none, as: GetSeedBuildTokenResponse.self)
    }

    /// `GET /account-driven-enrollment/profile`.
    public func accountDrivenEnrollmentProfile() async throws(DEPClientError)
        -> GetAccountDrivenEnrollmentProfileResponse
    {
        try await call(
            "GET", "/account-driven-enrollment/profile", sending: Optional<Empty>.none,
            as: GetAccountDrivenEnrollmentProfileResponse.self)
    }

    /// `POST /account-driven-enrollment/profile`.
    public func setAccountDrivenEnrollmentProfile(serviceDiscoveryURL: String) async throws(DEPClientError) {
        try await call(
            "POST", "/account-driven-enrollment/profile",
            sending: AccountDrivenEnrollmentProfileRequest(mdmServiceDiscoveryURL: serviceDiscoveryURL),
            reading: { _ in })
    }

    /// `DELETE /account-driven-enrollment/profile`.
    public func deleteAccountDrivenEnrollmentProfile() async throws(DEPClientError) {
        _ = try await call("DELETE", "/account-driven-enrollment/profile")
    }
}

/// The absent body of a call that sends none.
struct Empty: Encodable {}
