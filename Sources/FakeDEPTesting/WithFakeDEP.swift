public import Logging

/// Runs `body` against a fakedep started for it, and stops the fakedep when `body` returns or
/// throws.
@discardableResult
public func withFakeDEP<Result>(
    _ options: FakeDEP.Options = FakeDEP.Options(), logger: Logger = FakeDEP.quietLogger,
    isolation: isolated (any Actor)? = #isolation, _ body: (FakeDEP) async throws -> Result
) async throws -> Result {
    let fakedep = try await FakeDEP.start(options, logger: logger)
    do {
        let result = try await body(fakedep)
        await fakedep.stop()
        return result
    } catch {
        await fakedep.stop()
        throw error
    }
}
