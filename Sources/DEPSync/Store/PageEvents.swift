public import DEPWire
import Foundation
import GRDB

/// A page as the service sent it, and whose it is, for the event that hands it on.
public struct PageAnnouncement: Sendable {
    /// The DEP server's name (`server_name` of `/account`), the events' `dep_name`.
    public var depName: String
    public var page: FetchDeviceResponse

    public init(depName: String, page: FetchDeviceResponse) {
        self.depName = depName
        self.page = page
    }
}

/// The events of one stored page, appended to the outbox inside the page's transaction: the page
/// itself (`dep.FetchDevices` or `dep.SyncDevices`), then the devices it changed
/// (`depsync.DevicesChanged`, at most `Outbox.changesPerEvent` a event), so that an event is
/// stored exactly when its page's devices and cursor are.
enum PageEvents {
    static func append(
        _ db: Database, _ announcement: PageAnnouncement?, topic: EventTopic,
        changes: [(source: String, devices: [DeviceChange])], at now: Date
    ) throws {
        let depName = announcement?.depName ?? ""
        if let announcement {
            try Outbox.append(db, topic: topic, at: now) { id in
                try DEPJSON.encode(
                    DeviceResponseEvent(
                        topic: topic, eventID: id, createdAt: now, depName: depName, page: announcement.page))
            }
        }
        for (source, devices) in changes {
            var start = 0
            while start < devices.count {
                let end = min(start + Outbox.changesPerEvent, devices.count)
                try Outbox.append(db, topic: .devicesChanged, at: now) { id in
                    try DEPJSON.encode(
                        DevicesChangedEvent(
                            eventID: id, createdAt: now,
                            body: .init(depName: depName, source: source, devices: Array(devices[start..<end]))))
                }
                start = end
            }
        }
    }
}
