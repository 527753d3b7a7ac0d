import DEPCrypto
import DEPWire
import Foundation

extension Profile {
    /// The code refusing a profile whose `anchor_certs` or `supervising_host_certs` hold an entry
    /// that is not a base64 DER X.509 certificate (dep-api §5.1), or `nil` when every entry is one.
    ///
    /// Apple documents no code for this (§5.3 lists none for the certificate keys); we answer
    /// 400 `MALFORMED_REQUEST_BODY`, the code Apple sends when a define-profile body does not
    /// hold what the schema says, which every client already handles. Checked after the §5.3
    /// checks, anchors first.
    var certificateError: DEPErrorCode? {
        let entries = (anchorCerts ?? []) + (supervisingHostCerts ?? [])
        return entries.allSatisfy(Self.isCertificate) ? nil : .malformedRequestBody
    }

    /// Whether `text` is standard base64 of exactly one DER X.509 certificate.
    private static func isCertificate(_ text: String) -> Bool {
        guard !text.isEmpty, let der = Data(base64Encoded: text) else { return false }
        return (try? Certificate(der: der)) != nil
    }
}
