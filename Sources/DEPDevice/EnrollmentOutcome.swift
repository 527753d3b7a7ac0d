public import DEPWire

/// What the MDM answered a device that asked for its enrollment profile (dep-api §7.4).
public enum EnrollmentOutcome: Sendable {
    /// The MDM sent its enrollment profile; `signer` names the certificate that signed it
    /// (nil for an unsigned profile). The device installs it and is enrolled.
    case enrolled(EnrollmentProfile, signer: String?)
    /// The MDM wants the device on a newer OS first (403 `com.apple.softwareupdate.required`).
    case softwareUpdateRequired(osVersion: String?, build: String?)
    /// The `configuration_web_url` shows a page where a person signs in; the device waits
    /// there until the same host serves the profile.
    case webSignIn(url: String, status: Int, contentType: String?)
    /// The MDM refused the device or answered something Setup Assistant cannot use: it stops
    /// with "Could not configure device".
    case refused(status: Int, contentType: String?, reason: String)
}
