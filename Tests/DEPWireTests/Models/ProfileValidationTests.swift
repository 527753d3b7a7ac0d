import DEPWire
import Testing

struct ProfileValidationTests {
    static func valid() -> Profile {
        var profile = Profile(profileName: "Acme", url: "https://mdm.acme.example/enroll")
        profile.orgMagic = "ACME"
        return profile
    }

    @Test func aCompleteProfileIsAccepted() {
        #expect(Self.valid().validationError(.strict) == nil)
        #expect(Self.valid().validationError() == nil)
    }

    /// One define-profile rule: a change that breaks it, and the code Apple answers.
    struct Rule: Sendable, CustomTestStringConvertible {
        let code: DEPErrorCode
        let change: @Sendable (inout Profile) -> Void
        init(_ code: DEPErrorCode, _ change: @escaping @Sendable (inout Profile) -> Void) {
            self.code = code
            self.change = change
        }
        var testDescription: String { code.rawValue }
    }

    @Test(arguments: [
        Rule(.configNameRequired) { $0.profileName = nil },
        Rule(.configNameInvalid) { $0.profileName = "" },
        Rule(.configNameInvalid) { $0.profileName = String(repeating: "é", count: 126) },
        Rule(.configURLRequired) { $0.url = nil },
        Rule(.configURLInvalid) { $0.url = "" },
        Rule(.configURLInvalid) { $0.url = "no scheme here" },
        Rule(.configURLInvalid) { $0.url = "https://x/%zz" },
        Rule(.configURLInvalid) { $0.url = "https://x/" + String(repeating: "a", count: 2000) },
        Rule(.departmentInvalid) { $0.department = "" },
        Rule(.flagsInvalid) { $0.isMDMRemovable = false },
        Rule(.localeInvalid) { $0.language = "english" },
        Rule(.localeInvalid) { $0.region = "us" },
        Rule(.magicInvalid) { $0.orgMagic = String(repeating: "m", count: 257) },
        Rule(.supportEmailInvalid) { $0.supportEmailAddress = "" },
        Rule(.supportPhoneInvalid) { $0.supportPhoneNumber = String(repeating: "5", count: 51) },
    ])
    func eachRuleHasItsCode(_ rule: Rule) {
        var profile = Self.valid()
        rule.change(&profile)
        #expect(profile.validationError() == rule.code)
    }

    @Test func ipv6HostsAndEscapesAreValidURLs() {
        var profile = Self.valid()
        profile.url = "https://[2001:db8::1]:8443/mdm/enroll?x=%20y#frag"
        #expect(profile.validationError() == nil)
    }

    @Test func lockedProfilesNeedSupervision() {
        var profile = Self.valid()
        profile.isMDMRemovable = false
        profile.isSupervised = true
        #expect(profile.validationError() == nil)
    }

    @Test func orgMagicIsOnlyRequiredWhenStrict() {
        var profile = Self.valid()
        profile.orgMagic = nil
        #expect(profile.validationError(.lenient) == nil)
        #expect(profile.validationError(.strict) == .magicInvalid)
        profile.orgMagic = ""
        #expect(profile.validationError(.lenient) == nil)
        #expect(profile.validationError(.strict) == .magicInvalid)
    }

    @Test func checksRunInTheDocumentedOrder() {
        var profile = Profile(profileName: "", url: nil)
        profile.department = ""
        #expect(profile.validationError() == .configNameInvalid)
        profile.profileName = "ok"
        #expect(profile.validationError() == .configURLRequired)
        profile.url = "https://x"
        #expect(profile.validationError() == .departmentInvalid)
    }
}
