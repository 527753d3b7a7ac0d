import Testing

@testable import FakeDEPServer

/// The ISO 8601 durations a world's clock is advanced by.
struct ISODurationTests {
    /// Durations and the seconds they span (a day is 86,400 s, a year 365 days, a month 30).
    static let spans: [(String, Double)] = [
        ("P7DT1S", 604_801), ("PT1S", 1), ("PT90M", 5_400), ("PT36H", 129_600), ("P1W", 604_800),
        ("P1Y", 31_536_000), ("P1M", 2_592_000), ("PT1M", 60), ("P1MT1M", 2_592_060), ("P0D", 0),
        ("P1Y2M3W4DT5H6M7S", 38_898_367), ("PT0.5S", 0.5), ("PT1,25S", 1.25), ("PT1M0.001S", 60.001),
        ("P1.5D", 129_600),
    ]

    @Test(arguments: spans)
    func aDurationSpansItsSeconds(text: String, seconds: Double) {
        #expect(ISODuration.seconds(text) == seconds)
    }

    @Test(arguments: [
        "", "P", "PT", "P1DT", "7D", "P7", "P7d", "p7D", "PT1D", "P1H", "P1D2Y", "PT1S1M", "P1D1D", "P1DT1HT1M",
        "PT.5S", "PT1.S", "PT0.5M1S", "P1.5DT1H", "-P1D", "P-1D", "P+1D", "P1D ", " P1D", "P1 D", "PT1E3S",
    ])
    func anythingElseIsNotADuration(text: String) {
        #expect(ISODuration.seconds(text) == nil)
    }
}
