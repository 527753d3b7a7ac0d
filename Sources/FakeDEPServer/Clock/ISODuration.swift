import Foundation

/// An ISO 8601 duration, `PnYnMnWnDTnHnMnS`, as a world's clock is advanced by: `P7DT1S`,
/// `PT90M`, `P1W`, `PT0.5S`. Components come in that order, each at most once, at least one;
/// the last one may have a decimal fraction (`.` or `,`). Calendar units have no calendar here:
/// a year counts 365 days and a month 30 days. Signs are not accepted: the clock only moves
/// forward.
enum ISODuration {
    private static let day: Double = 86_400
    private static let dateUnits: [(designator: UInt8, seconds: Double)] = [
        (UInt8(ascii: "Y"), 365 * day), (UInt8(ascii: "M"), 30 * day), (UInt8(ascii: "W"), 7 * day),
        (UInt8(ascii: "D"), day),
    ]
    private static let timeUnits: [(designator: UInt8, seconds: Double)] = [
        (UInt8(ascii: "H"), 3_600), (UInt8(ascii: "M"), 60), (UInt8(ascii: "S"), 1),
    ]

    /// The number of seconds `text` spans, or `nil` when it is not such a duration.
    static func seconds(_ text: some StringProtocol) -> TimeInterval? {
        var bytes = Array(text.utf8)[...]
        guard bytes.popFirst() == UInt8(ascii: "P"), !bytes.isEmpty else { return nil }
        var total = 0.0
        var components = 0
        var units = dateUnits[...]
        var inTime = false
        var fractionSeen = false
        while !bytes.isEmpty {
            if bytes.first == UInt8(ascii: "T") {
                guard !inTime else { return nil }
                bytes.removeFirst()
                guard !bytes.isEmpty else { return nil }
                inTime = true
                units = timeUnits[...]
                continue
            }
            // A fraction belongs to the last component only.
            guard !fractionSeen, let (value, hasFraction) = number(&bytes), let designator = bytes.popFirst(),
                let index = units.firstIndex(where: { $0.designator == designator })
            else { return nil }
            total += value * units[index].seconds
            units = units[(index + 1)...]
            components += 1
            fractionSeen = hasFraction
        }
        return components > 0 && total.isFinite ? total : nil
    }

    /// Reads digits with an optional decimal fraction from the front of `bytes`.
    private static func number(_ bytes: inout ArraySlice<UInt8>) -> (value: Double, hasFraction: Bool)? {
        let whole = bytes.prefix(while: isDigit)
        guard !whole.isEmpty else { return nil }
        bytes.removeFirst(whole.count)
        var text = String(decoding: whole, as: UTF8.self)
        var hasFraction = false
        if let separator = bytes.first, separator == UInt8(ascii: ".") || separator == UInt8(ascii: ",") {
            bytes.removeFirst()
            let fraction = bytes.prefix(while: isDigit)
            guard !fraction.isEmpty else { return nil }
            bytes.removeFirst(fraction.count)
            text += "." + String(decoding: fraction, as: UTF8.self)
            hasFraction = true
        }
        return Double(text).map { ($0, hasFraction) }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
}
