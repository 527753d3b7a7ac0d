// DEPCrypto's CMS readers: SignedData as a device's MachineInfo arrives (dep-api §7.4), and the
// EnvelopedData of a server token (§1.4) opened with a fixed key and certificate.
import DEPCrypto
import FuzzSupport

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The MDM's token key and certificate, made once; small, since only the parsing is under test.
let key = try! PrivateKey.generateRSA(bits: 1024)
let certificate = try! Certificate.selfSigned(
    key: key, commonName: "fuzz", days: 1, notBefore: Date(timeIntervalSince1970: 1_700_000_000))

Fuzzer.run { input in
    let data = input.data
    _ = try? SignedData.open(data)
    _ = try? EnvelopedData.decrypt(data, key: key, certificate: certificate)
}
