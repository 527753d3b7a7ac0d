public import DEPCrypto
public import Foundation

/// The key and certificate a device signs its MachineInfo with (dep-api §7.4).
///
/// A real device's identity is issued by Apple's device CA; the simulated one is self-signed,
/// named after the UDID, so an MDM that checks signatures sees a valid one and an MDM that
/// pins Apple's CA refuses it, as it would refuse any device it cannot vouch for.
public struct DeviceIdentity: Sendable {
    public let key: PrivateKey
    public let certificate: Certificate

    /// A fresh identity for the device with `udid`.
    public static func make(udid: String, now: Date = Date()) throws(CryptoError) -> DeviceIdentity {
        let key = try PrivateKey.generateRSA()
        let certificate = try Certificate.selfSigned(key: key, commonName: udid, days: 365, notBefore: now)
        return DeviceIdentity(key: key, certificate: certificate)
    }

    /// `content` signed as CMS SignedData (DER, content attached), as the device sends it.
    public func sign(_ content: Data) throws(CryptoError) -> Data {
        try SignedData.sign(content, certificate: certificate, key: key)
    }
}
