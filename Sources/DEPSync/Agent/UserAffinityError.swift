/// A refusal of the user-affinity flow (`depsync portal`), each saying what to do about it.
public enum UserAffinityError: Error, Sendable, Hashable, CustomStringConvertible {
    case unknownDevice(serial: String)
    case deviceRemoved(serial: String)
    case noProfile(serial: String)
    /// The device's profile was not defined here from console settings.
    case affinityUnknown(serial: String, profile: String)
    case noUserAffinity(serial: String, profile: String)
    case assignedToAnotherUser(serial: String, user: String)
    case notUsersDevice(serial: String, user: String)
    case confirmationMismatch(serial: String)

    public var description: String {
        switch self {
        case .unknownDevice(let serial):
            "no device \(serial) is known here; run `depsync sync` after assigning it to this MDM server in the portal"
        case .deviceRemoved(let serial):
            "\(serial) is no longer this MDM server's device"
        case .noProfile(let serial):
            "\(serial) has no enrollment profile; assign a user-affinity profile first (`depsync profile assign UUID \(serial)`)"
        case .affinityUnknown(let serial, let profile):
            "the user affinity of \(serial)'s profile \(profile) is unknown: it was not defined here from console "
                + "settings; define a profile with `user_affinity` and assign it"
        case .noUserAffinity(let serial, let profile):
            "\(serial) is enrolled without user affinity (profile \(profile)): kiosk, point-of-sale and shared devices "
                + "do not use the company portal; to change its affinity, retire it (`depsync profile remove \(serial)`) "
                + "and enrol it again with a user-affinity profile"
        case .assignedToAnotherUser(let serial, let user):
            "\(serial) is assigned to \(user); retire it first (`depsync profile remove \(serial)`), then assign it a "
                + "profile and the new user"
        case .notUsersDevice(let serial, let user):
            "\(serial) is not among \(user)'s devices; an administrator assigns it with "
                + "`depsync portal assign-user --user \(user) --device \(serial)`"
        case .confirmationMismatch(let serial):
            "the last four characters given do not match the serial number of \(serial); nothing was changed "
                + "(the serial is in Settings > General > About)"
        }
    }
}
