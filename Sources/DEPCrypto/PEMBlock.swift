#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// One PEM block read by hand: its label and the DER bytes under it.
///
/// OpenSSL picks a decoder by the label, so it cannot read Apple's API-account key, whose
/// `EC PRIVATE KEY` label sits on PKCS#8 bytes (peers §5.2); reading the armour ourselves lets
/// the DER decide what the key is.
struct PEMBlock {
    /// The word after `-----BEGIN `, e.g. `EC PRIVATE KEY`.
    let label: String
    let der: [UInt8]

    /// The first block in `text`; `nil` when there is none, its base64 is broken or it carries
    /// RFC 1421 headers (`Proc-Type: 4,ENCRYPTED`: an encrypted key we cannot read).
    init?(_ text: String) {
        // Each line without the white space around it, sliced rather than copied.
        let lines: [Substring] = text.split(whereSeparator: \.isNewline).map { line in
            guard let first = line.firstIndex(where: { !$0.isWhitespace }),
                let last = line.lastIndex(where: { !$0.isWhitespace })
            else { return line[line.endIndex...] }
            return line[first...last]
        }
        guard let begin = lines.firstIndex(where: { $0.hasPrefix("-----BEGIN ") && $0.hasSuffix("-----") }) else {
            return nil
        }
        let label = String(lines[begin].dropFirst("-----BEGIN ".count).dropLast(5))
        let endLine = "-----END \(label)-----"
        guard let end = lines[(begin + 1)...].firstIndex(where: { $0 == endLine }) else { return nil }
        let body = lines[(begin + 1)..<end]
        guard !body.contains(where: { $0.contains(":") }), let der = Data(base64Encoded: body.joined()),
            !der.isEmpty
        else { return nil }
        self.label = label
        self.der = [UInt8](der)
    }

    /// `der` armoured under `label`, 64 base64 characters a line, as OpenSSL writes it.
    static func armour(_ der: some Sequence<UInt8>, label: String) -> String {
        let base64 = Array(Data(der).base64EncodedString().utf8)
        var text = "-----BEGIN \(label)-----\n"
        for start in stride(from: 0, to: base64.count, by: 64) {
            text += String(decoding: base64[start..<min(start + 64, base64.count)], as: UTF8.self) + "\n"
        }
        return text + "-----END \(label)-----\n"
    }
}
