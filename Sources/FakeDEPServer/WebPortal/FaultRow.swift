import Foundation

/// A fault rule as a row of the test control page's table: what it matches, when it fires, what
/// it does, and how often it has.
struct FaultRow {
    let id: String
    let matches: String
    let when: String
    let action: String
    let matched: String
    let fired: String
    let retired: Bool
    let added: String

    init(_ listing: FaultListing) {
        let rule = listing.rule
        id = listing.id
        let traits = [
            rule.operation, rule.server.map { "from \($0)" }, rule.method, rule.serial.map { "device \($0)" },
        ].compactMap { $0 }
        matches = traits.isEmpty ? "every request" : traits.joined(separator: " · ")
        when = Self.when(rule)
        action = rule.action.summary
        matched = WebFormat.count(listing.matched)
        fired = WebFormat.count(listing.fired)
        retired = listing.retired
        added = WebFormat.moment(listing.added)
    }

    /// Among the requests it matches, those it fires at, as `FaultRule.fires` decides.
    private static func when(_ rule: FaultRule) -> String {
        var parts: [String] = []
        if let nth = rule.nth { parts.append("the \(ordinal(nth)) only") }
        switch (rule.times, rule.after) {
        case (let times?, let after?): parts.append("\(times) after the first \(after)")
        case (let times?, nil): parts.append(times == 1 ? "the first" : "the first \(times)")
        case (nil, let after?): parts.append("each after the first \(after)")
        case (nil, nil): if rule.nth == nil { parts.append("each") }
        }
        if let probability = rule.probability {
            parts.append("with probability \(probability)" + (rule.seed.map { " (seed \($0))" } ?? ""))
        }
        if let ttl = rule.ttl { parts.append("for \(WebFormat.span(ttl)) of world time") }
        return parts.joined(separator: ", ")
    }

    private static func ordinal(_ number: Int) -> String {
        let suffix =
            switch (number % 10, number % 100) {
            case (_, 11...13): "th"
            case (1, _): "st"
            case (2, _): "nd"
            case (3, _): "rd"
            default: "th"
            }
        return "\(number)\(suffix)"
    }
}
