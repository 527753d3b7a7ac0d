import Foundation

extension Duration {
    /// The duration in seconds, as the world's clock and journal take it.
    var timeInterval: TimeInterval {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
