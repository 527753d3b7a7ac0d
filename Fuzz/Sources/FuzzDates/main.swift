// RFC 3339 dates (dep-api §3) and days: parsing may refuse any text; a date it accepts (years
// 1–9999) is written in Apple's form and read back as the same second.
import DEPWire
import FuzzSupport

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z, the years Apple's four digits can hold.
let writable = -62_135_596_800.0...253_402_300_799.0

Fuzzer.run { input in
    let text = input.text
    _ = DEPDate.parseDay(text)
    guard let date = DEPDate.parse(text) else { return }
    let seconds = date.timeIntervalSince1970.rounded(.down)
    guard writable.contains(seconds) else { return }
    let written = DEPDate.format(date)
    guard DEPDate.parse(written)?.timeIntervalSince1970 == seconds else {
        Fuzzer.disagreement("\(text) parses as \(seconds) s, written as \(written)")
    }
}
