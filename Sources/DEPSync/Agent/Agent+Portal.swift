public import DEPWire
import Foundation

/// The user-affinity flow a company-portal app performs: an administrator assigns a device
/// enrolled with user affinity to a user; the user lists their devices and identifies the one
/// in hand by the last four characters of its serial number. Devices enrolled without user
/// affinity (kiosk, point of sale, shared) are refused, and a device keeps its user until it
/// is retired (its profile removed), so changing its affinity means enrolling it again.
extension Agent {
    /// Defines a profile read by `ProfileDefinition.readFile` and remembers the console settings
    /// Apple's profile cannot hold (user affinity, description).
    public func defineProfile(_ definition: ProfileToDefine) async throws -> DefineProfileResponse {
        let response = try await defineProfile(definition.profile)
        if definition.userAffinity != nil || definition.description != nil {
            try await store.storeProfileDetails(
                response.profileUUID, userAffinity: definition.userAffinity, description: definition.description)
        }
        return response
    }

    /// Assigns device `serial` to user `upn` (an administrator's action). Refused when the
    /// device is unknown or removed, has no profile, its profile has no user affinity (or was
    /// not defined here from console settings), or it is another user's.
    @discardableResult
    public func assignUser(serial: String, upn: String) async throws -> UserDevice {
        let state = try await affinityState(of: serial)
        if let user = state.user, user.lowercased() != upn.lowercased() {
            throw UserAffinityError.assignedToAnotherUser(serial: serial, user: user)
        }
        try await store.assignUser(upn, to: serial, profile: state.profileUUID ?? "", at: now())
        return try await userDevice(serial, upn: upn)
    }

    /// The devices enrolled with user affinity and assigned to `upn`, by serial.
    public func portalDevices(upn: String) async throws -> [UserDevice] {
        try await store.userDevices(of: upn, affinity: .prompt)
    }

    /// The user `upn` confirms that device `serial` is theirs with the last four characters of
    /// its serial number (case-insensitive). A mismatch is refused and changes nothing; a match
    /// records when the device was identified.
    @discardableResult
    public func identify(upn: String, serial: String, confirmLast4: String) async throws -> UserDevice {
        let state = try await affinityState(of: serial)
        guard let user = state.user, user.lowercased() == upn.lowercased() else {
            throw UserAffinityError.notUsersDevice(serial: serial, user: upn)
        }
        guard confirmLast4.count == 4, serial.suffix(4).lowercased() == confirmLast4.lowercased() else {
            throw UserAffinityError.confirmationMismatch(serial: serial)
        }
        try await store.recordIdentification(of: serial, by: user, at: now())
        return try await userDevice(serial, upn: upn)
    }

    /// The device's state, after the checks every portal action shares.
    private func affinityState(of serial: String) async throws -> UserAffinityState {
        guard let state = try await store.userAffinityState(of: serial) else {
            throw UserAffinityError.unknownDevice(serial: serial)
        }
        if state.isRemoved { throw UserAffinityError.deviceRemoved(serial: serial) }
        guard state.hasProfile, let profile = state.profileUUID else {
            throw UserAffinityError.noProfile(serial: serial)
        }
        let name = state.profileName.map { "\"\($0)\"" } ?? profile
        switch state.affinity {
        case .prompt: return state
        case .noAffinity: throw UserAffinityError.noUserAffinity(serial: serial, profile: name)
        case nil: throw UserAffinityError.affinityUnknown(serial: serial, profile: name)
        }
    }

    private func userDevice(_ serial: String, upn: String) async throws -> UserDevice {
        guard let device = try await store.userDevices(of: upn).first(where: { $0.serialNumber == serial }) else {
            throw UserAffinityError.notUsersDevice(serial: serial, user: upn)
        }
        return device
    }
}
