/// One coverage of a device (`AppleCareCoverage`, API 1.3+): the limited warranty or an
/// AppleCare plan. Names follow Apple's example of `GET /v1/orgDevices/{id}/appleCareCoverage`
/// (`startDateTime`, `endDateTime`; `coverageStartDateTime`/`coverageEndDateTime` are read too),
/// and its explicit `null`s are written as Apple writes them.
public struct AppleCareCoverage: Codable, Hashable, Sendable {
    /// The resource type, `appleCareCoverage`.
    public static let resourceType = "appleCareCoverage"

    public var type: String
    public var id: String
    public var attributes: Attributes

    public init(id: String, attributes: Attributes) {
        type = Self.resourceType
        self.id = id
        self.attributes = attributes
    }

    public struct Attributes: Hashable, Sendable {
        public var agreementNumber: String?
        public var startDateTime: ABMDateTime?
        public var endDateTime: ABMDateTime?
        /// `Limited Warranty`, `AppleCare+`, ….
        public var description: String?
        /// `ACTIVE` or `INACTIVE`.
        public var status: String?
        /// `ABE_SUBSCRIPTION`, `PAID_UP_FRONT`, `SUBSCRIPTION` or `NONE`.
        public var paymentType: String?
        public var isRenewable: Bool?
        public var isCanceled: Bool?
        public var contractCancelDateTime: ABMDateTime?

        public init(
            agreementNumber: String?, startDateTime: ABMDateTime?, endDateTime: ABMDateTime?, description: String?,
            status: String?, paymentType: String?, isRenewable: Bool?, isCanceled: Bool?,
            contractCancelDateTime: ABMDateTime? = nil
        ) {
            self.agreementNumber = agreementNumber
            self.startDateTime = startDateTime
            self.endDateTime = endDateTime
            self.description = description
            self.status = status
            self.paymentType = paymentType
            self.isRenewable = isRenewable
            self.isCanceled = isCanceled
            self.contractCancelDateTime = contractCancelDateTime
        }
    }
}

extension AppleCareCoverage.Attributes: Codable {
    enum CodingKeys: String, CodingKey {
        case contractCancelDateTime, startDateTime, isRenewable, isCanceled, description, agreementNumber
        case endDateTime, status, paymentType, coverageStartDateTime, coverageEndDateTime
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        contractCancelDateTime = try c.decodeIfPresent(ABMDateTime.self, forKey: .contractCancelDateTime)
        startDateTime =
            try c.decodeIfPresent(ABMDateTime.self, forKey: .startDateTime)
            ?? c.decodeIfPresent(ABMDateTime.self, forKey: .coverageStartDateTime)
        isRenewable = try c.decodeIfPresent(Bool.self, forKey: .isRenewable)
        isCanceled = try c.decodeIfPresent(Bool.self, forKey: .isCanceled)
        description = try c.decodeIfPresent(String.self, forKey: .description)
        agreementNumber = try c.decodeIfPresent(String.self, forKey: .agreementNumber)
        endDateTime =
            try c.decodeIfPresent(ABMDateTime.self, forKey: .endDateTime)
            ?? c.decodeIfPresent(ABMDateTime.self, forKey: .coverageEndDateTime)
        status = try c.decodeIfPresent(String.self, forKey: .status)
        paymentType = try c.decodeIfPresent(String.self, forKey: .paymentType)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        if let contractCancelDateTime {
            try c.encode(contractCancelDateTime, forKey: .contractCancelDateTime)
        } else {
            try c.encodeNil(forKey: .contractCancelDateTime)
        }
        try c.encodeIfPresent(startDateTime, forKey: .startDateTime)
        try c.encodeIfPresent(isRenewable, forKey: .isRenewable)
        try c.encodeIfPresent(isCanceled, forKey: .isCanceled)
        try c.encodeIfPresent(description, forKey: .description)
        if let agreementNumber {
            try c.encode(agreementNumber, forKey: .agreementNumber)
        } else {
            try c.encodeNil(forKey: .agreementNumber)
        }
        try c.encodeIfPresent(endDateTime, forKey: .endDateTime)
        try c.encodeIfPresent(status, forKey: .status)
        try c.encodeIfPresent(paymentType, forKey: .paymentType)
    }
}
