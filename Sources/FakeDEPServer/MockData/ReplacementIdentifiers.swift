/// The network identifiers of a device that replaces another (AppleCare), made like the old
/// device's and drawn from the new serial, so the same replacement always gets the same ones:
/// an IMEI keeps the old one's type allocation code (the same model), a MAC address its Apple
/// prefix, an EID its issuer digits. A kind the old device lacks, the new one lacks too.
enum ReplacementIdentifiers {
    /// The identifiers of the device with `serial` that replaces `old`: those `given`, the others
    /// made.
    static func derive(replacing old: InventoryDevice, serial: String, given: DeviceIdentifiers) -> DeviceIdentifiers {
        var random = SeededGenerator(seed: stableHash(serial))
        let imei = given.imei ?? old.imei.map { InventoryDevice.split($0).map { Self.imei(like: $0, &random) } }
        return DeviceIdentifiers(
            imei: imei,
            // As the generator makes them: the first IMEI without its check digit.
            meid: given.meid ?? (old.meid != nil ? imei?.first.map { [String($0.dropLast(2))] } : nil),
            eid: given.eid ?? old.eid.map { Self.eid(like: $0, &random) },
            wifiMAC: given.wifiMAC ?? old.wifiMAC.map { Self.mac(like: $0, &random) },
            ethernetMAC: given.ethernetMAC ?? old.ethernetMAC.map { Self.mac(like: $0, &random) },
            bluetoothMAC: given.bluetoothMAC ?? old.bluetoothMAC.map { Self.mac(like: $0, &random) })
    }

    /// `35 TTTTTT SSSSSS C`: the type allocation code of `old` (its first eight digits), six
    /// drawn digits and the Luhn check digit.
    static func imei(like old: String, _ random: inout SeededGenerator) -> String {
        let digits = old.filter(\.isASCIIDigit)
        let code = digits.count >= 8 ? String(digits.prefix(8)) : "35" + random.digits(6)
        let body = Array((code + random.digits(6)).utf8)
        let check = DeviceIdentifierSource.luhnDigit(body)
        let text = String(decoding: body, as: UTF8.self)
        return "\(text.prefix(2)) \(text.dropFirst(2).prefix(6)) \(text.suffix(6)) \(check)"
    }

    /// The issuer digits of `old` (its first eight), 22 drawn digits and the two check digits
    /// that make the number 1 modulo 97.
    static func eid(like old: String, _ random: inout SeededGenerator) -> String {
        let digits = old.filter(\.isASCIIDigit)
        let body = (digits.count >= 8 ? String(digits.prefix(8)) : "89049032") + random.digits(22)
        let remainder = body.utf8.reduce(0) { ($0 * 10 + Int($1 - 48)) % 97 }
        let check = 98 - remainder * 100 % 97
        return body + (check < 10 ? "0" : "") + String(check)
    }

    /// The prefix (OUI) of `old`, then three drawn bytes, upper-case and colon-separated.
    static func mac(like old: String, _ random: inout SeededGenerator) -> String {
        let prefix = old.count == 17 ? String(old.prefix(8)).uppercased() : "F0:18:98"
        let bytes = (0..<3).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        return prefix + bytes.map { ":" + (($0 < 16 ? "0" : "") + String($0, radix: 16, uppercase: true)) }.joined()
    }

    /// FNV-1a: unlike `hashValue`, the same in every process.
    private static func stableHash(_ text: String) -> UInt64 {
        text.utf8.reduce(0xCBF2_9CE4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 }
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
