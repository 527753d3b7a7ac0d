/// The define-profile checks of dep-api §5.3, shared by the fake service (which answers with the
/// code) and the agent (which checks a profile before sending it).
///
/// Checks run in a fixed order, the order of the §5.3 table, and the first failure is reported:
/// name, URL, department, flags, locale, magic, support email, support phone.
extension Profile {
    /// How strictly `org_magic` and `is_mdm_removable` are read (dep-api §5.1 notes).
    public enum Strictness: Sendable {
        /// Apple's text: `org_magic` must be present and non-empty.
        case strict
        /// What real clients get away with: absent or empty `org_magic` is accepted.
        case lenient
    }

    /// The first define-profile error this profile has, or `nil` when Apple would accept it.
    public func validationError(_ strictness: Strictness = .lenient) -> DEPErrorCode? {
        guard let profileName else { return .configNameRequired }
        if profileName.isEmpty || profileName.count > 125 { return .configNameInvalid }
        guard let url else { return .configURLRequired }
        if !Self.isValidURI(url) { return .configURLInvalid }
        if let department, department.isEmpty || department.count > 125 { return .departmentInvalid }
        if isMDMRemovable == false, isSupervised != true { return .flagsInvalid }
        if !Self.isValidLocale(language: language, region: region) { return .localeInvalid }
        switch (orgMagic, strictness) {
        case (nil, .strict): return .magicInvalid
        case (let magic?, _) where magic.count > 256 || (magic.isEmpty && strictness == .strict): return .magicInvalid
        default: break
        }
        if let email = supportEmailAddress, email.isEmpty || email.count > 250 { return .supportEmailInvalid }
        if let phone = supportPhoneNumber, phone.isEmpty || phone.count > 50 { return .supportPhoneInvalid }
        return nil
    }

    /// The code refusing a profile whose `anchor_certs` or `supervising_host_certs` hold an entry
    /// that is not a base64 DER X.509 certificate (dep-api §5.1), or `nil` when every entry is
    /// one. `isCertificate` decides (parsing DER is DEPCrypto's job: `Certificate.isBase64DER`).
    ///
    /// Apple documents no code for this (§5.3 lists none for the certificate keys); the answer
    /// is 400 `MALFORMED_REQUEST_BODY`, the code Apple sends when a define-profile body does not
    /// hold what the schema says, which every client already handles. Checked after the §5.3
    /// checks.
    public func certificateError(isCertificate: (String) -> Bool) -> DEPErrorCode? {
        let entries = (anchorCerts ?? []) + (supervisingHostCerts ?? [])
        return entries.allSatisfy(isCertificate) ? nil : .malformedRequestBody
    }

    /// RFC 2396 (with RFC 2732 IPv6 hosts) syntax: a scheme, then only URI characters and
    /// well-formed `%HH` escapes; at most 2000 characters once URL-encoded.
    static func isValidURI(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.count <= 2000, let colon = bytes.firstIndex(of: UInt8(ascii: ":")), colon > 0,
            bytes[0].isASCIILetter,
            bytes[1..<colon].allSatisfy({
                $0.isASCIILetter || $0.isASCIIDigit || $0 == 0x2B || $0 == 0x2D || $0 == 0x2E
            }),
            colon + 1 < bytes.count
        else { return false }
        var index = colon + 1
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%") {
                guard index + 2 < bytes.count, bytes[index + 1].isHexDigit, bytes[index + 2].isHexDigit else {
                    return false
                }
                index += 3
                continue
            }
            guard byte.isASCIILetter || byte.isASCIIDigit || uriPunctuation.contains(byte) else { return false }
            index += 1
        }
        return true
    }

    /// Unreserved marks, reserved characters, `#` and the IPv6 brackets of RFC 2732.
    private static let uriPunctuation = Set("-_.!~*'();/?:@&=+$,#[]".utf8)

    /// `language` is 2–3 ASCII letters (ISO 639-1/-2), `region` 2 upper-case letters (ISO 3166-1).
    static func isValidLocale(language: String?, region: String?) -> Bool {
        if let language {
            guard (2...3).contains(language.utf8.count), language.utf8.allSatisfy(\.isASCIILetter) else { return false }
        }
        if let region {
            guard region.utf8.count == 2, region.utf8.allSatisfy({ (0x41...0x5A).contains($0) }) else { return false }
        }
        return true
    }
}

extension UInt8 {
    var isASCIILetter: Bool { (0x41...0x5A).contains(self) || (0x61...0x7A).contains(self) }
    var isASCIIDigit: Bool { (0x30...0x39).contains(self) }
    var isHexDigit: Bool { isASCIIDigit || (0x41...0x46).contains(self) || (0x61...0x66).contains(self) }
}
