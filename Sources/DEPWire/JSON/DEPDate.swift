#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif

/// Apple's wire form of a time stamp: RFC 3339, UTC, second precision, `Z` (dep-api §3).
///
/// Formatting always writes `2025-02-18T15:43:38Z`; parsing is tolerant the way a real client
/// must be: fractional seconds and numeric offsets (`+02:00`, `-0500`) are accepted too.
public enum DEPDate {
    /// Formats `date` as `YYYY-MM-DDTHH:MM:SSZ`, truncating sub-second precision.
    public static func format(_ date: Date) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(20)
        append(date, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `date` as `YYYY-MM-DDTHH:MM:SSZ` (years 0–9999) to `bytes`, without quotes.
    public static func append(_ date: Date, to bytes: inout [UInt8]) {
        append(unixSeconds: Int64((date.timeIntervalSince1970).rounded(.down)), to: &bytes)
    }

    /// Appends the time `seconds` after 1970 as `YYYY-MM-DDTHH:MM:SSZ` (years 0–9999) to
    /// `bytes`, without quotes: what `append(_:to:)` writes for that date, without making one.
    static func append(unixSeconds seconds: Int64, to bytes: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: textLength) { text in
            write(unixSeconds: seconds, into: text.baseAddress!)
            bytes.append(contentsOf: UnsafeBufferPointer(text))
        }
    }

    /// How many bytes `write(unixSeconds:into:)` writes, whatever the time.
    static let textLength = 20

    /// Writes the time `seconds` after 1970 as `YYYY-MM-DDTHH:MM:SSZ` into the ``textLength``
    /// bytes at `text`: a page writer's dates, stored straight into its buffer.
    static func write(unixSeconds seconds: Int64, into text: UnsafeMutablePointer<UInt8>) {
        let (days, secondOfDay) = seconds.floorDivided(by: 86_400)
        let (year, month, day) = civilDate(fromDays: days)
        guard (0...9999).contains(year) else {
            var bytes: [UInt8] = []
            appendDigitByDigit(year, month, day, secondOfDay, to: &bytes)
            return bytes.withUnsafeBufferPointer { text.update(from: $0.baseAddress!, count: textLength) }
        }
        let hour = secondOfDay / 3600
        let minute = secondOfDay % 3600 / 60
        let second = secondOfDay % 60
        func pair(_ value: Int64, at index: Int) {
            text[index] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: value / 10)
            text[index + 1] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: value % 10)
        }
        pair(year / 100, at: 0)
        pair(year % 100, at: 2)
        text[4] = UInt8(ascii: "-")
        pair(month, at: 5)
        text[7] = UInt8(ascii: "-")
        pair(day, at: 8)
        text[10] = UInt8(ascii: "T")
        pair(hour, at: 11)
        text[13] = UInt8(ascii: ":")
        pair(minute, at: 14)
        text[16] = UInt8(ascii: ":")
        pair(second, at: 17)
        text[19] = UInt8(ascii: "Z")
    }

    /// The general writer, for years outside 0–9999: four digits of the year, whatever they are.
    private static func appendDigitByDigit(
        _ year: Int64, _ month: Int64, _ day: Int64, _ secondOfDay: Int64, to bytes: inout [UInt8]
    ) {
        func digits(_ value: Int64, _ width: Int) {
            var divisor: Int64 = 1
            for _ in 1..<width { divisor *= 10 }
            var value = value
            while divisor > 0 {
                bytes.append(UInt8(ascii: "0") + UInt8(truncatingIfNeeded: value / divisor % 10))
                value %= divisor
                divisor /= 10
            }
        }
        digits(year, 4)
        bytes.append(UInt8(ascii: "-"))
        digits(month, 2)
        bytes.append(UInt8(ascii: "-"))
        digits(day, 2)
        bytes.append(UInt8(ascii: "T"))
        digits(secondOfDay / 3600, 2)
        bytes.append(UInt8(ascii: ":"))
        digits(secondOfDay % 3600 / 60, 2)
        bytes.append(UInt8(ascii: ":"))
        digits(secondOfDay % 60, 2)
        bytes.append(UInt8(ascii: "Z"))
    }

    /// Formats the calendar day of `date` in UTC as `YYYY-MM-DD` (replacement dates, §3.12).
    public static func formatDay(_ date: Date) -> String {
        String(format(date).prefix(10))
    }

    /// Parses an RFC 3339 date-time; `nil` when the text is not one.
    public static func parse(_ text: some StringProtocol) -> Date? {
        var text = String(text)
        return text.withUTF8 { parse(utf8: $0) }
    }

    /// Parses an RFC 3339 date-time from its UTF-8 bytes (a page reader's string, without
    /// making a `String`); `nil` when the text is not one.
    static func parse(utf8: UnsafeBufferPointer<UInt8>) -> Date? {
        var scanner = ASCIIScanner(utf8)
        guard let year = scanner.digits(4), scanner.skip("-"),
            let month = scanner.digits(2), scanner.skip("-"),
            let day = scanner.digits(2), scanner.skip("T") || scanner.skip("t") || scanner.skip(" "),
            let hour = scanner.digits(2), scanner.skip(":"),
            let minute = scanner.digits(2), scanner.skip(":"),
            let second = scanner.digits(2),
            (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day),
            hour < 24, minute < 60, second < 61
        else { return nil }
        var fraction = 0.0
        if scanner.skip(".") {
            var scale = 0.1
            var sawDigit = false
            while let digit = scanner.digit() {
                fraction += Double(digit) * scale
                scale /= 10
                sawDigit = true
            }
            guard sawDigit else { return nil }
        }
        var offset = 0
        if scanner.skip("Z") || scanner.skip("z") {
            offset = 0
        } else if let sign = scanner.sign() {
            guard let offsetHours = scanner.digits(2) else { return nil }
            _ = scanner.skip(":")
            guard let offsetMinutes = scanner.digits(2), offsetHours < 24, offsetMinutes < 60 else { return nil }
            offset = sign * (offsetHours * 3600 + offsetMinutes * 60)
        } else {
            return nil
        }
        guard scanner.isAtEnd else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + min(second, 59)) - Int64(offset)
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    /// Parses a `YYYY-MM-DD` day as midnight UTC.
    public static func parseDay(_ text: some StringProtocol) -> Date? {
        parse("\(text)T00:00:00Z")
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    // Howard Hinnant's civil-from-days and days-from-civil, for the proleptic Gregorian calendar.
    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    private static func civilDate(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

extension Int64 {
    fileprivate func floorDivided(by divisor: Int64) -> (Int64, Int64) {
        let quotient = (self >= 0 ? self : self - divisor + 1) / divisor
        return (quotient, self - quotient * divisor)
    }
}

/// A tiny cursor over ASCII bytes for the date parser.
private struct ASCIIScanner {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    var isAtEnd: Bool { index == bytes.count }

    mutating func skip(_ character: Unicode.Scalar) -> Bool {
        guard index < bytes.count, bytes[index] == UInt8(ascii: character) else { return false }
        index += 1
        return true
    }

    mutating func digit() -> Int? {
        guard index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) else { return nil }
        defer { index += 1 }
        return Int(bytes[index] - UInt8(ascii: "0"))
    }

    mutating func digits(_ count: Int) -> Int? {
        var value = 0
        for _ in 0..<count {
            guard let digit = digit() else { return nil }
            value = value * 10 + digit
        }
        return value
    }

    mutating func sign() -> Int? {
        if skip("+") { return 1 }
        if skip("-") { return -1 }
        return nil
    }
}
