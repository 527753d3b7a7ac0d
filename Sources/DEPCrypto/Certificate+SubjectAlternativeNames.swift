import COpenSSL

#if canImport(Glibc)
    import Glibc
#endif

extension Certificate {
    /// The certificate's DNS names and IP addresses (its subjectAltName), written as
    /// `Certificate.serverCertificate` takes them: `DNS:localhost`, `IP:127.0.0.1`, `IP:::1`.
    /// Other kinds of name (e-mail, URI) are left out; none when it has no such extension.
    public var subjectAlternativeNames: [String] {
        guard let raw = X509_get_ext_d2i(pointer, NID_subject_alt_name, nil, nil) else {
            CryptoError.clearQueue()
            return []
        }
        let names = OpaquePointer(raw)
        defer { GENERAL_NAMES_free(names) }
        return (0..<COpenSSL_sk_GENERAL_NAME_num(names)).compactMap { index in
            guard let name = COpenSSL_sk_GENERAL_NAME_value(names, index) else { return nil }
            var kind: Int32 = 0
            guard let value = GENERAL_NAME_get0_value(name, &kind) else { return nil }
            let bytes = Self.bytes(of: value.assumingMemoryBound(to: ASN1_STRING.self))
            switch kind {
            case GEN_DNS: return "DNS:" + String(decoding: bytes, as: UTF8.self)
            case GEN_IPADD: return Self.address(bytes).map { "IP:" + $0 }
            default: return nil
            }
        }
    }

    /// The contents of an `ASN1_STRING`.
    private static func bytes(of string: UnsafePointer<ASN1_STRING>) -> [UInt8] {
        guard let data = ASN1_STRING_get0_data(string) else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: Int(ASN1_STRING_length(string))))
    }

    /// An IPv4 or IPv6 address in its usual text form (`inet_ntop`), or `nil` for another length.
    private static func address(_ bytes: [UInt8]) -> String? {
        let family: Int32
        switch bytes.count {
        case 4: family = AF_INET
        case 16: family = AF_INET6
        default: return nil
        }
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        guard inet_ntop(family, bytes, &text, socklen_t(text.count)) != nil else { return nil }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
