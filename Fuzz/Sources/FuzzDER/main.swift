// DEPCrypto's DER readers, and the "PEM or DER" readers every file option goes through:
// certificates, keys and ES256 signatures, from any bytes.
import DEPCrypto
import FuzzSupport

Fuzzer.run { input in
    let data = input.data
    _ = try? Certificate(der: data)
    _ = try? Certificate(bytes: data)
    _ = try? PrivateKey(der: data)
    _ = try? PrivateKey(bytes: data)
    _ = try? ECPrivateKey(der: data)
    _ = try? ECPrivateKey(bytes: data)
    _ = try? ECPublicKey(der: data)
    _ = try? ECPublicKey(bytes: data)
    _ = try? ES256.rawSignature(fromDER: data)
    _ = try? ES256.derSignature(fromRaw: data)
}
