import ArgumentParser
import DEPSync
import DEPWire
import Foundation

/// `depsync account`: the MDM server and organisation as the service describes them.
struct AccountCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "account", abstract: "Show the MDM server's account details.")
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print the service's JSON.") var json = false

    func run() async throws {
        let account = try await global.agent().account()
        if json {
            print(try DEPJSON.encodeString(account))
            return
        }
        let rows: [(String, String?)] = [
            ("Server", account.serverName), ("Server UUID", account.serverUUID),
            ("Organisation", account.orgName), ("Organisation ID", account.orgID),
            ("Type", account.orgType), ("Version", account.orgVersion), ("Email", account.orgEmail),
            ("Phone", account.orgPhone), ("Address", account.orgAddress), ("Admin", account.adminID),
        ]
        for (name, value) in rows { if let value { print("\(name): \(value.escapingControlCharacters)") } }
        for endpoint in account.urls ?? [] {
            let limit = endpoint.limit.map { " (limit \($0.default), at most \($0.maximum))" } ?? ""
            let methods = endpoint.httpMethod.joined(separator: ",").escapingControlCharacters
            print("  \(methods) \(endpoint.uri.escapingControlCharacters)\(limit)")
        }
    }
}

/// `depsync status`: the service, the token, the cursor and the devices by status.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the service, the token's expiry, the last sync and the devices by status.")
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let agent = try global.agent()
        let status = try await agent.status()
        print("Service: \(agent.configuration.baseURL.escapingControlCharacters)")
        if let expiry = status.tokenExpiry, let days = status.daysToTokenExpiry {
            let note =
                status.isTokenExpired
                ? "EXPIRED"
                : status.tokenExpiresSoon ? "expires in \(days) days: renew it in the portal" : "\(days) days left"
            print("Token: expires \(DEPDate.format(expiry)) (\(note))")
            Self.warnAboutRenewal(status, expiry: expiry, days: days)
        } else {
            print("Token: none imported")
        }
        print("Last sync: \(status.syncState.lastSync.map(DEPDate.format) ?? "never")")
        print("Last full fetch: \(status.syncState.lastFullFetch.map(DEPDate.format) ?? "never")")
        if let age = status.cursorAge {
            print("Cursor: \(status.syncState.phase.rawValue), \(Self.duration(age)) old")
        } else {
            print("Cursor: none (the next sync is a full fetch)")
        }
        print("Devices: \(status.counts.total)")
        for state in EnrollmentStatus.allCases {
            print("  \(state.rawValue): \(status.counts.byStatus[state] ?? 0)")
        }
        print("Profiles (devices not removed):")
        for state in ProfileState.allCases {
            print("  \(state.rawValue): \(status.counts.byProfile[state] ?? 0)")
        }
        try Self.printEvents(try await agent.store.outboxStatus(), targets: try agent.eventTargets(), now: status.now)
    }

    /// The event targets: pending, failed, the last delivered and why the next one waits.
    private static func printEvents(_ outbox: OutboxStatus, targets: EventTargets, now: Date) throws {
        guard !outbox.targets.isEmpty else {
            print("Events: no target (set one with `depsync sync --webhook URL` or `--exec CMD`)")
            return
        }
        print("Events: \(outbox.stored) in the outbox")
        for delivery in outbox.targets {
            var line = "  \(delivery.target.rawValue)"
            switch delivery.target {
            case .webhook: line += targets.webhook.map { " \($0.url.escapingControlCharacters)" } ?? ""
            case .exec: line += targets.exec.map { " `\($0.command.escapingControlCharacters)`" } ?? ""
            case .follow: line += " (depsync events)"
            }
            line += ": \(delivery.pending) pending, \(delivery.failed) failed"
            if let id = delivery.lastDeliveredID, let at = delivery.lastDelivered {
                line += "; last delivered \(id) at \(DEPDate.format(at))"
            }
            print(line)
            if let error = delivery.lastError {
                let wait = delivery.nextAttempt.map { " (next try in \(duration(max(0, $0.timeIntervalSince(now)))))" }
                print("    \(delivery.attempts) failed tries\(wait ?? ""): \(error.escapingControlCharacters)")
            }
        }
    }

    /// Warns, on standard error, of a token that expired or expires within 30 days.
    private static func warnAboutRenewal(_ status: AgentStatus, expiry: Date, days: Int) {
        let renew =
            "download a new token for this MDM server in the portal and import it (`depsync token import FILE`)"
        if status.isTokenExpired {
            Terminal.warn("the server token expired on \(DEPDate.format(expiry)); the service refuses it: \(renew).")
        } else if status.tokenExpiresSoon {
            Terminal.warn(
                "the server token expires on \(DEPDate.format(expiry)), in \(days) days (Apple emails the "
                    + "organisation's administrators from 30 days before): \(renew).")
        }
    }

    static func duration(_ seconds: Double) -> String {
        switch seconds {
        case ..<120: "\(Int(seconds)) s"
        case ..<7200: "\(Int(seconds / 60)) min"
        case ..<172_800: "\(Int(seconds / 3600)) h"
        default: "\(Int(seconds / 86400)) days"
        }
    }
}
