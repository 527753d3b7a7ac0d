import DEPWire

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
    /// A `--ca-file` that cannot be read or holds no PEM certificate.
    case invalidCAFile(String)
    case abmUnknownClientID(String)
    case abmNotLoggedIn
    case abmAccountUnreadable(path: String, reason: String)
    case abmUnknownServer(name: String, known: [String])
    case abmActivityUnfinished(id: String, status: String, waited: Double)
    case abmNoSerials

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
        case .invalidCAFile(let reason):
            "the CA file \(reason); give a PEM file of certificate authorities (`fakedep ca` prints fakedep's)"
        case .abmUnknownClientID(let clientID):
            "\(clientID.escapingControlCharacters) is no API account's client id: it starts with BUSINESSAPI. or "
                + "SCHOOLAPI.; copy it from the API account in the portal"
        case .abmNotLoggedIn:
            "no API account is set up; run `depsync abm login --client-id ID --key-id KID --key-file PEM`"
        case .abmAccountUnreadable(let path, let reason):
            "\(path) cannot be read: \(reason); run `depsync abm login` again with the account's key"
        case .abmUnknownServer(let name, let known):
            "no MDM server is named \"\(name.escapingControlCharacters)\"; the organisation's are: "
                + (known.isEmpty ? "none" : known.map { "\"\($0.escapingControlCharacters)\"" }.joined(separator: ", "))
        case .abmActivityUnfinished(let id, let status, let waited):
            "the activity \(id) is still \(status) after \(Int(waited)) s; wait longer with --max-wait"
        case .abmNoSerials:
            "no device to change: name serial numbers or pass --csv FILE"
        }
    }
}
