/// A failure of the agent itself (its state, its input), each saying what to do about it.
public enum AgentError: Error, Sendable, CustomStringConvertible {
    case noKeyPair(directory: String)
    case keyPairExists(directory: String)
    case noToken
    case tokenUnreadable(String)
    case tokenForAnotherServer(stored: String, imported: String)
    case profileUnreadable(path: String, reason: String)
    case profileInvalid(code: String, reason: String)
    case unknownProfile(String)
    case nothingToAssign
    case unreadableEventTargets(String)
    case unknownEvent(String)
    case invalidEventTarget(String)

    public var description: String {
        switch self {
        case .noKeyPair(let directory):
            "\(directory) has no key pair; run `depsync token request` and upload its certificate to the portal"
        case .keyPairExists(let directory):
            "\(directory) already has a key pair; pass --force to replace it (tokens made for the old key stop working)"
        case .noToken:
            "no server token imported; download one from the portal and run `depsync token import FILE.p7m`"
        case .tokenUnreadable(let reason):
            "the server token cannot be read: \(reason); download it again from the portal for this state's certificate"
        case .tokenForAnotherServer(let stored, let imported):
            "the token is for another MDM server (consumer key \(imported), stored \(stored)); pass --force to replace it"
        case .profileUnreadable(let path, let reason):
            "\(path) is not a profile: \(reason)"
        case .profileInvalid(let code, let reason):
            "the profile would be refused with \(code): \(reason)"
        case .unknownProfile(let uuid):
            "no profile \(uuid) is known here or to the DEP service; define it with `depsync profile define FILE`"
        case .nothingToAssign:
            "no device to assign: name serial numbers or pass --unassigned"
        case .unreadableEventTargets(let path):
            "\(path) cannot be read; set the targets again (`depsync sync --webhook URL` or `--exec CMD`) or remove it"
        case .unknownEvent(let id):
            "no event \(id) is in the outbox (delivered everywhere, or never made); follow without --from to resume"
        case .invalidEventTarget(let reason):
            reason
        }
    }
}
