// Every DEP and ABM model decoded from JSON, as each side reads the other's bodies: the first
// byte chooses the model, the rest is the body. Decoding may refuse, never crash.
import DEPWire
import FuzzSupport

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// One decoder per model a body can hold; the order is the selector's (the corpus depends on it).
let decoders: [(Data) throws -> Any] = [
    { try DEPJSON.decode(FetchDeviceRequest.self, from: $0) },
    { try DEPJSON.decode(SyncDeviceRequest.self, from: $0) },
    { try DEPJSON.decode(FetchDeviceResponse.self, from: $0) },
    { try DEPJSON.decode(AccountDetail.self, from: $0) },
    { try DEPJSON.decode(SessionResponse.self, from: $0) },
    { try DEPJSON.decode(Profile.self, from: $0) },
    { try DEPJSON.decode(DefineProfileResponse.self, from: $0) },
    { try DEPJSON.decode(ProfileServiceRequest.self, from: $0) },
    { try DEPJSON.decode(AssignProfileResponse.self, from: $0) },
    { try DEPJSON.decode(ClearProfileRequest.self, from: $0) },
    { try DEPJSON.decode(ClearProfileResponse.self, from: $0) },
    { try DEPJSON.decode(DeviceListRequest.self, from: $0) },
    { try DEPJSON.decode(DeviceListResponse.self, from: $0) },
    { try DEPJSON.decode(DeviceStatusResponse.self, from: $0) },
    { try DEPJSON.decode(ActivationLockRequest.self, from: $0) },
    { try DEPJSON.decode(ActivationLockStatusResponse.self, from: $0) },
    { try DEPJSON.decode(ReplacementDetails.self, from: $0) },
    { try DEPJSON.decode(AccountDrivenEnrollmentProfileRequest.self, from: $0) },
    { try DEPJSON.decode(GetAccountDrivenEnrollmentProfileResponse.self, from: $0) },
    { try DEPJSON.decode(GetSeedBuildTokenResponse.self, from: $0) },
    { try DEPJSON.decode(OAuthTokens.self, from: $0) },
    { try DEPJSON.decode(CloudConfiguration.self, from: $0) },
    { try DEPJSON.decode(ABMDocument<OrgDevice>.self, from: $0) },
    { try DEPJSON.decode(ABMListDocument<OrgDevice>.self, from: $0) },
    { try DEPJSON.decode(ABMListDocument<MdmServer>.self, from: $0) },
    { try DEPJSON.decode(ABMDocument<OrgDeviceActivity>.self, from: $0) },
    { try DEPJSON.decode(OrgDeviceActivityCreateRequest.self, from: $0) },
    { try DEPJSON.decode(ABMListDocument<AppleCareCoverage>.self, from: $0) },
    { try DEPJSON.decode(ABMListDocument<AuditEvent>.self, from: $0) },
    { try DEPJSON.decode(LinkageDocument.self, from: $0) },
    { try DEPJSON.decode(LinkageListDocument.self, from: $0) },
    { try DEPJSON.decode(ErrorResponse.self, from: $0) },
    { try DEPJSON.decode(TokenResponse.self, from: $0) },
    { try DEPJSON.decode(OAuth2Error.self, from: $0) },
    { try DEPJSON.decode(ClientAssertionClaims.self, from: $0) },
]

Fuzzer.run { input in
    guard let (selector, body) = input.choice else { return }
    _ = try? decoders[Int(selector) % decoders.count](Data(body))
}
