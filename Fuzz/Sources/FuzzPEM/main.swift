// DEPCrypto's PEM readers: certificates and RSA, EC private and public keys, from any text.
import DEPCrypto
import FuzzSupport

Fuzzer.run { input in
    let text = input.text
    _ = try? Certificate(pem: text)
    _ = try? PrivateKey(pem: text)
    _ = try? ECPrivateKey(pem: text)
    _ = try? ECPublicKey(pem: text)
}
