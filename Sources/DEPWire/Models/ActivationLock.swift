/// The body of `POST /device/activationlock` (dep-api §3.11).
public struct ActivationLockRequest: Codable, Hashable, Sendable {
    public var device: String?
    /// 64 hex characters of the PBKDF2-derived bypass key; absent locks to the server's creator.
    public var escrowKey: String?
    public var lostMessage: String?

    enum CodingKeys: String, CodingKey {
        case device
        case escrowKey = "escrow_key"
        case lostMessage = "lost_message"
    }

    public init(device: String?, escrowKey: String? = nil, lostMessage: String? = nil) {
        self.device = device
        self.escrowKey = escrowKey
        self.lostMessage = lostMessage
    }
}

/// The answer of `POST /device/activationlock`.
public struct ActivationLockStatusResponse: Codable, Hashable, Sendable {
    public var serialNumber: String
    public var responseStatus: ActivationLockStatus

    enum CodingKeys: String, CodingKey {
        case serialNumber = "serial_number"
        case responseStatus = "response_status"
    }

    public init(serialNumber: String, responseStatus: ActivationLockStatus) {
        self.serialNumber = serialNumber
        self.responseStatus = responseStatus
    }
}
