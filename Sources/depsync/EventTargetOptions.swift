import ArgumentParser
import DEPSync

/// Where events go, set on `sync` and remembered in the state directory (the file
/// `event-targets`) until changed: a flag given replaces what is remembered, the rest stays.
struct EventTargetOptions: ParsableArguments {
    @Option(help: "POST each event as JSON to this http:// or https:// URL (remembered).") var webhook: String?
    @Option(help: "Sign each post with HMAC-SHA256 under this key, in the X-DEPSync-Signature header (remembered).")
    var webhookSecret: String?
    @Option(help: "Seconds allowed for one post (remembered; default 30).") var webhookTimeout: Double?
    @Option(help: "A PEM file of certificate authorities to trust for an https:// webhook (remembered).")
    var webhookCAFile: String?
    @Flag(help: "Stop posting events to the remembered webhook; its undelivered events and dead letters go.")
    var noWebhook = false
    @Option(help: "Run this shell command for each event, the event's JSON on its standard input (remembered).")
    var exec: String?
    @Option(help: "Seconds the command may run before it is killed (remembered; default 60).") var execTimeout: Double?
    @Flag(help: "Stop running the remembered command; its undelivered events and dead letters go.") var noExec = false

    var changesTargets: Bool {
        webhook != nil || webhookSecret != nil || webhookTimeout != nil || webhookCAFile != nil || noWebhook
            || exec != nil || execTimeout != nil || noExec
    }

    func validate() throws {
        if noWebhook, webhook != nil { throw ValidationError("Give --webhook or --no-webhook, not both.") }
        if noExec, exec != nil { throw ValidationError("Give --exec or --no-exec, not both.") }
        if let webhookTimeout, webhookTimeout <= 0 { throw ValidationError("--webhook-timeout must be positive.") }
        if let execTimeout, execTimeout <= 0 { throw ValidationError("--exec-timeout must be positive.") }
    }

    /// The remembered targets changed by the flags given.
    func applied(to remembered: EventTargets) throws -> EventTargets {
        var targets = remembered
        if noWebhook {
            targets.webhook = nil
        } else if let url = webhook ?? remembered.webhook?.url {
            var hook = remembered.webhook ?? WebhookTarget(url: url)
            hook.url = url
            if let webhookSecret { hook.secret = webhookSecret.isEmpty ? nil : webhookSecret }
            if let webhookTimeout { hook.timeout = webhookTimeout }
            if let webhookCAFile { hook.caFile = webhookCAFile.isEmpty ? nil : webhookCAFile }
            targets.webhook = hook
        } else if webhookSecret != nil || webhookTimeout != nil || webhookCAFile != nil {
            throw ValidationError("--webhook-secret, --webhook-timeout and --webhook-ca-file need a --webhook URL.")
        }
        if noExec {
            targets.exec = nil
        } else if let command = exec ?? remembered.exec?.command {
            var run = remembered.exec ?? CommandTarget(command: command)
            run.command = command
            if let execTimeout { run.timeout = execTimeout }
            targets.exec = run
        } else if execTimeout != nil {
            throw ValidationError("--exec-timeout needs an --exec command.")
        }
        return targets
    }
}
