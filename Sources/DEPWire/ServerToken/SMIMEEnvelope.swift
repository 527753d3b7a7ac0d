#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The outer text of a `.p7m` server token: four MIME headers, a blank line, then the CMS
/// EnvelopedData bytes in base64 at 76 columns (dep-api §1.2).
///
/// Written with CRLF line ends: that is the canonical form of a MIME entity (RFC 5751 §3.1.1,
/// RFC 2045), so any MIME or S/MIME reader takes it, and every known DEP client accepts both
/// CRLF and LF (dep-api §1.2). Read with either, mixed freely.
public enum SMIMEEnvelope {
    /// The four header lines of Apple's token, in order (dep-api §1.2).
    public static let headerLines = [
        #"Content-Type: application/pkcs7-mime; name="smime.p7m"; smime-type=enveloped-data"#,
        "Content-Transfer-Encoding: base64",
        #"Content-Disposition: attachment; filename="smime.p7m""#,
        "Content-Description: S/MIME Encrypted Message",
    ]

    /// The line end written after every line, header and body alike.
    static let lineEnd = "\r\n"
    /// The width of a base64 body line (RFC 2045 §6.8).
    static let lineWidth = 76

    /// The S/MIME text carrying `cms` (DER or BER CMS bytes).
    public static func wrap(_ cms: some Collection<UInt8>) -> String {
        let base64 = Array(Data(cms).base64EncodedString().utf8)
        var text = headerLines.map { $0 + lineEnd }.joined() + lineEnd
        var start = 0
        while start < base64.count {
            let end = min(start + lineWidth, base64.count)
            text += String(decoding: base64[start..<end], as: UTF8.self) + lineEnd
            start = end
        }
        return text
    }

    /// The CMS bytes inside an S/MIME text (dep-api §1.4 step 1).
    ///
    /// Headers run to the first empty line and may be folded; `Content-Type` must be
    /// `application/pkcs7-mime` (or the legacy `application/x-pkcs7-mime`) and a
    /// `Content-Transfer-Encoding`, when present, `base64`. Whitespace in the body is ignored.
    public static func unwrap(_ text: some Collection<UInt8>) throws(ServerTokenError) -> [UInt8] {
        let lines = MIMELines.split(text)
        guard let blank = lines.firstIndex(where: \.isEmpty) else { throw .missingBlankLine }

        let headers = unfoldedHeaders(lines[..<blank])
        let contentType = headers["content-type"].map(mediaType) ?? ""
        guard contentType == "application/pkcs7-mime" || contentType == "application/x-pkcs7-mime" else {
            throw .notPKCS7MIME(contentType)
        }
        if let encoding = headers["content-transfer-encoding"], mediaType(encoding) != "base64" {
            throw .unsupportedTransferEncoding(encoding)
        }
        return try Base64Body.decode(lines[(blank + 1)...].joined())
    }

    /// The unwrapped CMS bytes of an S/MIME text held as a string.
    public static func unwrap(_ text: String) throws(ServerTokenError) -> [UInt8] {
        try unwrap(Array(text.utf8))
    }

    /// Header values by lower-cased name; continuation lines (leading space or tab) are joined
    /// to the header they continue. The first occurrence of a name wins.
    private static func unfoldedHeaders(_ lines: ArraySlice<String>) -> [String: String] {
        var unfolded: [String] = []
        for line in lines {
            if let first = line.first, first == " " || first == "\t", !unfolded.isEmpty {
                unfolded[unfolded.count - 1] += " " + line.trimmingMIMEWhitespace()
            } else {
                unfolded.append(line)
            }
        }
        var headers: [String: String] = [:]
        for line in unfolded {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingMIMEWhitespace().lowercased()
            if headers[name] == nil {
                headers[name] = String(line[line.index(after: colon)...].trimmingMIMEWhitespace())
            }
        }
        return headers
    }

    /// The part of a header value before its first `;`, trimmed and lower-cased.
    private static func mediaType(_ value: String) -> String {
        (value.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
            .trimmingMIMEWhitespace().lowercased()
    }
}
