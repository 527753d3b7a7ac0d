/// What an event tells its receiver: the topic every event carries first.
///
/// The `dep.` topics are those MicroMDM's and nanodep's webhooks send for a fetch or sync page, so
/// that a receiver written for them works unchanged; `depsync.` topics are the agent's own.
public enum EventTopic: String, Sendable, Hashable, CaseIterable, Codable {
    /// A page of `POST /server/devices` (a full fetch), as the service sent it.
    case fetchDevices = "dep.FetchDevices"
    /// A page of `POST /devices/sync`, as the service sent it.
    case syncDevices = "dep.SyncDevices"
    /// Devices whose state in the agent's store changed.
    case devicesChanged = "depsync.DevicesChanged"
}
