public import DEPWire

/// Where a device stands, as an MDM console shows it: whether it has contacted Apple for its
/// enrollment profile (the enrollment status), and what profile it has (the profile state).
public enum EnrollmentStatus: String, CaseIterable, Sendable, Codable {
    /// Assigned to this server; the device has not fetched a profile yet.
    case notContacted = "Not contacted"
    /// The device fetched its profile (`profile_status` is `pushed`).
    case contacted = "Contacted"
    /// No longer assigned to this server (deleted in sync, or absent from a full fetch).
    case removed = "Removed"

    /// The status of a device with `profileStatus`, removed or not.
    public init(profileStatus: ProfileStatus?, isRemoved: Bool) {
        if isRemoved {
            self = .removed
        } else if profileStatus == .pushed {
            self = .contacted
        } else {
            self = .notContacted
        }
    }
}

/// Which enrollment profile a device has, as a console names it.
public enum ProfileState: String, CaseIterable, Sendable, Codable {
    case noProfile = "No profile"
    case assigned = "Assigned"
    case pushed = "Pushed"
    case profileRemoved = "Profile removed"

    public init(_ status: ProfileStatus?) {
        switch status {
        case .assigned?: self = .assigned
        case .pushed?: self = .pushed
        case .removed?: self = .profileRemoved
        case .empty?, nil: self = .noProfile
        }
    }
}

/// A filter of `depsync devices --status`: any enrollment status or profile state, by name,
/// ignoring case.
public enum DeviceStatusFilter: Sendable, Hashable {
    case enrollment(EnrollmentStatus)
    case profile(ProfileState)

    public init?(_ name: String) {
        let wanted = name.lowercased()
        if let status = EnrollmentStatus.allCases.first(where: { $0.rawValue.lowercased() == wanted }) {
            self = .enrollment(status)
        } else if let state = ProfileState.allCases.first(where: { $0.rawValue.lowercased() == wanted }) {
            self = .profile(state)
        } else {
            return nil
        }
    }

    /// Every name the filter accepts.
    public static var names: [String] {
        EnrollmentStatus.allCases.map(\.rawValue) + ProfileState.allCases.map(\.rawValue)
    }

    /// The SQL condition on `devices` that selects this status.
    var sql: String {
        switch self {
        case .enrollment(.removed): "removed IS NOT NULL"
        case .enrollment(.contacted): "removed IS NULL AND profile_status = 'pushed'"
        case .enrollment(.notContacted): "removed IS NULL AND profile_status IS NOT 'pushed'"
        case .profile(.noProfile): "(profile_status IS NULL OR profile_status = 'empty')"
        case .profile(.assigned): "profile_status = 'assigned'"
        case .profile(.pushed): "profile_status = 'pushed'"
        case .profile(.profileRemoved): "profile_status = 'removed'"
        }
    }
}
