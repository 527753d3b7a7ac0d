import Testing

@testable import DEPWire

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The portal's `.p7m` download name (dep-api §1.2).
struct TokenFileNameTests {
    static let issuedAt = DEPDate.parse("2022-07-01T22:18:53Z")!

    @Test func matchesThePortalExample() {
        #expect(
            TokenFileName.make(serverName: "mdmserver1", issuedAt: Self.issuedAt)
                == "mdmserver1_Token_2022-07-01T22-18-53Z_smime.p7m")
    }

    @Test func usesUTCWholeSeconds() {
        let name = TokenFileName.make(serverName: "x", issuedAt: Self.issuedAt.addingTimeInterval(0.999))
        #expect(name == "x_Token_2022-07-01T22-18-53Z_smime.p7m")
    }

    @Test(arguments: [
        ("Acme Production MDM", "Acme Production MDM"),
        ("a/b\\c", "a_b_c"),
        ("../etc/passwd", ".._etc_passwd"),
        ("tab\there\nnew\u{0}nul\u{7F}del", "tab_here_new_nul_del"),
        ("Café · 東京", "Café · 東京"),
        ("", ""),
    ])
    func serverNameIsMadeSafeForAFileName(serverName: String, safe: String) {
        #expect(
            TokenFileName.make(serverName: serverName, issuedAt: Self.issuedAt) == safe
                + "_Token_2022-07-01T22-18-53Z_smime.p7m")
    }

    @Test func aLongNameIsCutToFitInto255Bytes() {
        let name = TokenFileName.make(serverName: String(repeating: "é", count: 300), issuedAt: Self.issuedAt)
        #expect(name.utf8.count <= 255)
        #expect(name.utf8.count >= 254)
        #expect(name.hasSuffix("_Token_2022-07-01T22-18-53Z_smime.p7m"))
        #expect(name.hasPrefix("éé"))
    }

    @Test func issuanceTimeReadsBackFromTheName() {
        #expect(
            TokenFileName.issuedAt(fromFileName: "mdmserver1_Token_2022-07-01T22-18-53Z_smime.p7m") == Self.issuedAt)
        #expect(TokenFileName.issuedAt(fromFileName: "_Token_2022-07-01T22-18-53Z_smime.p7m") == Self.issuedAt)
    }

    @Test(arguments: [
        "mdmserver1_Token_2022-07-01T22:18:53Z_smime.p7m", "mdmserver1_Token_2022-07-01T22-18-53Z.p7m",
        "mdmserver1_2022-07-01T22-18-53Z_smime.p7m", "Token_2022-07-01T22-18-53Z_smime.p7m",
        "x_Token_2022-13-01T22-18-53Z_smime.p7m", "smime.p7m", "",
    ])
    func aNameOfAnotherShapeHasNoIssuanceTime(fileName: String) {
        #expect(TokenFileName.issuedAt(fromFileName: fileName) == nil)
    }
}
