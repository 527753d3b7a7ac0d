/// The rule for a device serial number as our fake portal accepts it (our rule, dep-api §8).
///
/// Apple's serials are 12 upper-case letters and digits today, 11 on older devices and 10 on
/// the randomised ones since 2021. We accept a little more so that test catalogues and odd
/// vendor exports still work:
///
/// - surrounding ASCII whitespace (space, tab, CR, LF) is ignored;
/// - what remains must be 8 to 20 ASCII letters or digits, nothing else (no dashes, no
///   spaces inside, no non-ASCII look-alikes);
/// - letters are upper-cased, so `c02xk1jdjgh5` and `C02XK1JDJGH5` are the same device.
///
/// The rule does not check Apple's internal structure (factory, date, model code), so any
/// string that passes may still be an unknown serial for the portal to report.
public enum SerialNumber {
    /// How many letters and digits a serial number may have.
    public static let lengthRange = 8...20

    /// The normalised (trimmed, upper-case) form of `text`, or `nil` when it is not a serial.
    public static func normalized(_ text: some StringProtocol) -> String? {
        normalized(utf8: Array(text.utf8)[...])
    }

    /// Whether `text` is a serial number under the rule above.
    public static func isValid(_ text: some StringProtocol) -> Bool {
        normalized(text) != nil
    }

    /// The normalised serial for UTF-8 `bytes`, or `nil`; byte-level so a CSV cell never
    /// has to become a `String` first.
    static func normalized(utf8 bytes: ArraySlice<UInt8>) -> String? {
        let serial = trimmed(bytes)
        guard lengthRange.contains(serial.count), serial.allSatisfy(isLetterOrDigit) else {
            return nil
        }
        return String(unsafeUninitializedCapacity: serial.count) { output in
            for (offset, byte) in serial.enumerated() {
                output[offset] = isLowercase(byte) ? byte - 0x20 : byte
            }
            return serial.count
        }
    }

    /// `bytes` without leading and trailing ASCII whitespace.
    static func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        guard let first = bytes.firstIndex(where: { !isWhitespace($0) }),
            let last = bytes.lastIndex(where: { !isWhitespace($0) })
        else { return bytes[bytes.endIndex...] }
        return bytes[first...last]
    }

    /// Space, tab, CR or LF: the whitespace a CSV cell may carry around its value.
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A
    }

    private static func isLetterOrDigit(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || isLowercase(byte)
    }

    private static func isLowercase(_ byte: UInt8) -> Bool {
        (0x61...0x7A).contains(byte)
    }
}
