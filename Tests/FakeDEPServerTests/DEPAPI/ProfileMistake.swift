import DEPWire
import Testing

/// A profile Apple refuses, and the §5.3 code it answers.
enum ProfileMistake: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case nameMissing, nameEmpty, nameTooLong, urlMissing, urlEmpty, urlWithoutScheme, urlWithSpace, urlTooLong
    case urlWithBadEscape, departmentEmpty, departmentTooLong, removableWithoutSupervision
    case removableUnsupervised, languageTooShort, languageNotLetters, regionLowerCase, magicTooLong
    case supportEmailEmpty, supportEmailTooLong, supportPhoneEmpty, supportPhoneTooLong

    var testDescription: String { rawValue }

    var code: String {
        switch self {
        case .nameMissing: "CONFIG_NAME_REQUIRED"
        case .nameEmpty, .nameTooLong: "CONFIG_NAME_INVALID"
        case .urlMissing: "CONFIG_URL_REQUIRED"
        case .urlEmpty, .urlWithoutScheme, .urlWithSpace, .urlTooLong, .urlWithBadEscape: "CONFIG_URL_INVALID"
        case .departmentEmpty, .departmentTooLong: "DEPARTMENT_INVALID"
        case .removableWithoutSupervision, .removableUnsupervised: "FLAGS_INVALID"
        case .languageTooShort, .languageNotLetters, .regionLowerCase: "LOCALE_INVALID"
        case .magicTooLong: "MAGIC_INVALID"
        case .supportEmailEmpty, .supportEmailTooLong: "SUPPORT_EMAIL_INVALID"
        case .supportPhoneEmpty, .supportPhoneTooLong: "SUPPORT_PHONE_INVALID"
        }
    }

    var json: String {
        var profile = Profile(profileName: "Mistakes", url: "https://mdm.example/enroll")
        switch self {
        case .nameMissing: profile.profileName = nil
        case .nameEmpty: profile.profileName = ""
        case .nameTooLong: profile.profileName = String(repeating: "n", count: 126)
        case .urlMissing: profile.url = nil
        case .urlEmpty: profile.url = ""
        case .urlWithoutScheme: profile.url = "mdm.example/enroll"
        case .urlWithSpace: profile.url = "https://mdm.example/en roll"
        case .urlTooLong: profile.url = "https://mdm.example/" + String(repeating: "a", count: 2000 - 19)
        case .urlWithBadEscape: profile.url = "https://mdm.example/%zz"
        case .departmentEmpty: profile.department = ""
        case .departmentTooLong: profile.department = String(repeating: "d", count: 126)
        case .removableWithoutSupervision: profile.isMDMRemovable = false
        case .removableUnsupervised:
            profile.isMDMRemovable = false
            profile.isSupervised = false
        case .languageTooShort: profile.language = "e"
        case .languageNotLetters: profile.language = "e1"
        case .regionLowerCase: profile.region = "us"
        case .magicTooLong: profile.orgMagic = String(repeating: "m", count: 257)
        case .supportEmailEmpty: profile.supportEmailAddress = ""
        case .supportEmailTooLong: profile.supportEmailAddress = String(repeating: "e", count: 251)
        case .supportPhoneEmpty: profile.supportPhoneNumber = ""
        case .supportPhoneTooLong: profile.supportPhoneNumber = String(repeating: "1", count: 51)
        }
        return try! DEPJSON.encodeString(profile)
    }
}
