import DEPWire
import Testing

/// The token download's `Content-Disposition` (RFC 6266, RFC 8187), both ways.
struct ContentDispositionTests {
    @Test func anASCIINameIsWrittenInBothForms() {
        #expect(
            ContentDisposition.attachment(fileName: "mdm1_Token_2022-07-01T22-18-53Z_smime.p7m")
                == #"attachment; filename="mdm1_Token_2022-07-01T22-18-53Z_smime.p7m"; "#
                + "filename*=UTF-8''mdm1_Token_2022-07-01T22-18-53Z_smime.p7m")
    }

    @Test func quotesBackslashesAndNonASCIIStayOutOfTheQuotedForm() {
        let header = ContentDisposition.attachment(fileName: #"Zürich "West"\1.p7m"#)
        #expect(header.unicodeScalars.allSatisfy { $0.isASCII })
        #expect(
            header.hasPrefix(
                #"attachment; filename="Z_rich _West__1.p7m"; filename*=UTF-8''Z%C3%BCrich%20%22West%22%5C1.p7m"#))
        #expect(ContentDisposition.fileName(from: header) == #"Zürich "West"\1.p7m"#)
    }

    @Test(arguments: [
        (#"attachment; filename="a.p7m""#, "a.p7m"),
        (#"attachment; filename=a.p7m"#, "a.p7m"),
        (#"attachment;filename = "say \"hi\".p7m" ; size=3"#, #"say "hi".p7m"#),
        (#"attachment; filename*=UTF-8''%C3%A9.p7m; filename="e.p7m""#, "é.p7m"),
        (#"attachment; filename*=utf-8''%C3%A9.p7m"#, "é.p7m"),
        (#"attachment; filename*=UTF-8''%ZZ; filename="fallback.p7m""#, "fallback.p7m"),
        (#"attachment; filename*=ISO-8859-1''%E9.p7m; filename="latin.p7m""#, "latin.p7m"),
    ])
    func aFileNameIsReadFromEitherForm(header: String, name: String) {
        #expect(ContentDisposition.fileName(from: header) == name)
    }

    @Test(arguments: ["attachment", "inline; size=3", #"attachment; filename="""#, ""])
    func noFileNameIsNil(header: String) {
        #expect(ContentDisposition.fileName(from: header) == nil)
    }
}
