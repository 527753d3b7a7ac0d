#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif

/// The portal's download name for a server token:
/// `<MDM server name>_Token_<UTC YYYY-MM-DDTHH-MM-SSZ>_smime.p7m` (dep-api §1.2), e.g.
/// `mdmserver1_Token_2022-07-01T22-18-53Z_smime.p7m`.
///
/// The server name is the portal's free text, so it is made safe for a file name: `/` and `\`
/// (path separators on Unix and Windows), C0 controls and DEL each become `_`; everything else,
/// spaces and non-ASCII letters included, is kept. The name is then cut, on a character
/// boundary, so the whole file name fits in 255 UTF-8 bytes (the common file-system limit).
/// The name can never be `.` or `..`: the suffix always follows.
public enum TokenFileName {
    /// The longest file name, in UTF-8 bytes, most file systems allow.
    static let maximumLength = 255

    /// The file name for a token of `serverName` issued at `issuedAt` (whole seconds, UTC).
    public static func make(serverName: String, issuedAt: Date) -> String {
        // DEPDate writes `2022-07-01T22:18:53Z`; the portal's name uses `-` instead of `:`.
        let stamp = DEPDate.format(issuedAt).replacing(":", with: "-")
        let suffix = "_Token_\(stamp)_smime.p7m"
        var name = safeServerName(serverName)
        while name.utf8.count + suffix.utf8.count > maximumLength {
            name.removeLast()
        }
        return name + suffix
    }

    /// `serverName` with path separators and control characters replaced by `_`.
    static func safeServerName(_ serverName: String) -> String {
        var safe = String.UnicodeScalarView()
        for scalar in serverName.unicodeScalars {
            let isUnsafe = scalar == "/" || scalar == "\\" || scalar.value < 0x20 || scalar.value == 0x7F
            safe.append(isUnsafe ? "_" : scalar)
        }
        return String(safe)
    }

    /// The issuance time encoded in a token file name, or `nil` when `fileName` does not end in
    /// `_Token_<YYYY-MM-DDTHH-MM-SSZ>_smime.p7m`.
    public static func issuedAt(fromFileName fileName: String) -> Date? {
        let tail = "_smime.p7m"
        let stampLength = "2022-07-01T22-18-53Z".count
        guard fileName.hasSuffix(tail) else { return nil }
        let withoutTail = fileName.dropLast(tail.count)
        guard withoutTail.count >= stampLength + "_Token_".count,
            withoutTail.dropLast(stampLength).hasSuffix("_Token_")
        else { return nil }
        var stamp = Array(withoutTail.suffix(stampLength))
        // Only the two time separators go back to `:`; the date keeps its `-`.
        guard stamp[13] == "-", stamp[16] == "-" else { return nil }
        stamp[13] = ":"
        stamp[16] = ":"
        return DEPDate.parse(String(stamp))
    }
}
