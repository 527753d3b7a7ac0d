public import FakeDEPServer

extension HTTPLimits {
    /// Limits for a server inside a test run: the server's own, but with header and idle timeouts
    /// far longer than any stall of a busy run. An in-process server's connection handlers wait
    /// for a thread of the run's cooperative pool, and read no request head in the meantime; with
    /// the usual timeouts they would close connections that did nothing wrong. Tests of the
    /// timeouts set their own.
    public static var patient: HTTPLimits {
        HTTPLimits(headerTimeout: .seconds(600), idleTimeout: .seconds(600))
    }

    /// `patient`, with `change` applied.
    public static func patient(_ change: (inout HTTPLimits) -> Void) -> HTTPLimits {
        var limits = patient
        change(&limits)
        return limits
    }
}
