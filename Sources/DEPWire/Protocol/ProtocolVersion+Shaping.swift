/// The answers of each endpoint as a given protocol version carries them (dep-api §2.7).
extension ProtocolVersion {
    /// `device` without the fields and values this version does not have.
    public func shaped(_ device: Device) -> Device {
        var device = device
        if !hasDeviceFamily {
            device.os = nil
            device.deviceFamily = nil
        } else if !hasIPadOS, device.os == .iPadOS {
            device.os = .iOS
        }
        if !hasMigrationDeadline { device.mdmMigrationDeadline = nil }
        if !hasReplacementDetails {
            device.eid = nil
            device.ethernetMACAddress = nil
            device.wifiMACAddress = nil
            device.bluetoothMACAddress = nil
            device.imei = nil
            device.meid = nil
            device.isReplacementDevice = nil
            device.releasedByReplacement = nil
        }
        return device
    }

    /// `account` without the v3 organisation details before v3.
    public func shaped(_ account: AccountDetail) -> AccountDetail {
        guard !hasOrganisationDetails else { return account }
        var account = account
        account.orgID = nil
        account.orgIDHash = nil
        account.urls = nil
        account.orgType = nil
        account.orgVersion = nil
        return account
    }

    /// `profile` without the v2 keys before v2.
    public func shaped(_ profile: Profile) -> Profile {
        guard !hasDeviceFamily else { return profile }
        var profile = profile
        profile.autoAdvanceSetup = nil
        profile.awaitDeviceConfigured = nil
        profile.isMultiUser = nil
        profile.supportEmailAddress = nil
        return profile
    }

    /// `status` as this version reports it: `THROTTLED` is `FAILED` before v9.
    public func shaped(_ status: DeviceResultStatus) -> DeviceResultStatus {
        status == .throttled && !hasThrottledStatus ? .failed : status
    }

    /// An assign answer: statuses shaped, `retry_after_seconds` only from v10 and only when a
    /// device is throttled.
    public func shaped(_ response: AssignProfileResponse) -> AssignProfileResponse {
        var response = response
        response.devices = DeviceResults(response.devices.map { ($0.serial, shaped($0.value)) })
        if !hasReplacementDetails || !response.devices.contains(where: { $0.value == .throttled }) {
            response.retryAfterSeconds = nil
        }
        return response
    }
}
