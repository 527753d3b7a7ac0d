import DEPWire
import Foundation
import Testing

struct DEPDateTests {
    @Test func formatsUTCWithSecondPrecisionAndZ() {
        #expect(DEPDate.format(Date(timeIntervalSince1970: 1_737_111_741.803)) == "2025-01-17T11:02:21Z")
        #expect(DEPDate.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00Z")
        #expect(DEPDate.format(Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29T00:00:00Z")
        #expect(DEPDate.format(Date(timeIntervalSince1970: -1)) == "1969-12-31T23:59:59Z")
    }

    @Test(arguments: [
        ("2025-01-17T11:02:21Z", 1_737_111_741.0),
        ("2025-01-17T11:02:21.803Z", 1_737_111_741.803),
        ("2025-01-17T12:02:21+01:00", 1_737_111_741.0),
        ("2025-01-17T06:02:21-0500", 1_737_111_741.0),
        ("2025-01-17t11:02:21z", 1_737_111_741.0),
    ])
    func parsesFractionalSecondsAndOffsets(_ text: String, _ expected: Double) throws {
        let date = try #require(DEPDate.parse(text))
        #expect(abs(date.timeIntervalSince1970 - expected) < 0.0005)
    }

    @Test(arguments: [
        "", "2025-01-17", "2025-13-01T00:00:00Z", "2025-02-30T00:00:00Z", "2025-01-17T11:02:21",
        "2025-01-17T11:02:21.Z", "2025-01-17T11:02:21Zjunk", "yesterday",
    ])
    func rejectsWhatIsNotADateTime(_ text: String) {
        #expect(DEPDate.parse(text) == nil)
    }

    @Test func formatsAndParsesDays() throws {
        let day = try #require(DEPDate.parseDay("2025-01-15"))
        #expect(DEPDate.formatDay(day) == "2025-01-15")
        #expect(DEPDate.format(day) == "2025-01-15T00:00:00Z")
    }

    @Test func roundTripsEverySecondOfARange() throws {
        for seconds in stride(from: -86_400 * 800, to: 86_400 * 40_000, by: 86_399 * 7 + 13) {
            let date = Date(timeIntervalSince1970: Double(seconds))
            #expect(DEPDate.parse(DEPDate.format(date)) == date)
        }
    }
}
