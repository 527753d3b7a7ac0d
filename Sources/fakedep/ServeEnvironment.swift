import ArgumentParser
import Foundation
import Synchronization

/// `fakedep serve`'s options from the environment, for CI service containers that cannot pass
/// flags: each option `--name-of-it` is also `FAKEDEP_NAME_OF_IT` (`FAKEDEP_PORT`, `FAKEDEP_DB`,
/// `FAKEDEP_NO_MOCK_DATA=1`…). A flag on the command line wins over the environment.
enum ServeEnvironment {
    /// Variables that were set but could not be read, for `validate()` to report.
    private static let problems = Mutex<[String]>([])

    /// The value of `FAKEDEP_<name>` read as `T`, or `fallback` when it is not set.
    static func value<T: LosslessStringConvertible>(_ name: String, default fallback: T) -> T {
        optional(name) ?? fallback
    }

    /// The value of `FAKEDEP_<name>` read as `T`, or `nil` when it is not set.
    static func optional<T: LosslessStringConvertible>(_ name: String) -> T? {
        guard let text = ProcessInfo.processInfo.environment["FAKEDEP_" + name] else { return nil }
        guard let value = T(text.trimmingCharacters(in: .whitespaces)) else {
            problems.withLock { $0.append("FAKEDEP_\(name)=\(text) is not a valid value.") }
            return nil
        }
        return value
    }

    /// The comma-separated values of `FAKEDEP_<name>`, for a repeatable option; empty when not set.
    static func list(_ name: String) -> [String] {
        let text = ProcessInfo.processInfo.environment["FAKEDEP_" + name] ?? ""
        return text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Whether `FAKEDEP_<name>` is set to `1`, `true` or `yes`.
    static func flag(_ name: String) -> Bool {
        guard let text = ProcessInfo.processInfo.environment["FAKEDEP_" + name]?.lowercased() else { return false }
        switch text {
        case "1", "true", "yes": return true
        case "0", "false", "no", "": return false
        default:
            problems.withLock { $0.append("FAKEDEP_\(name)=\(text) is not 1, true, yes, 0, false or no.") }
            return false
        }
    }

    /// Throws for the first variable that could not be read.
    static func validate() throws {
        if let problem = problems.withLock({ $0.first }) { throw ValidationError(problem) }
    }
}
