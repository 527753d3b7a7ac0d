public import DEPWire
public import Foundation
import GRDB

/// A page as the service sent it, and whose it is, for the event that hands it on.
public struct PageAnnouncement: Sendable {
    /// The DEP server's name (`server_name` of `/account`), the events' `dep_name`.
    public var depName: String
    public var page: FetchDeviceResponse
    /// The page's bytes as received, when plain JSON (`ReceivedPage.json`): spliced into the
    /// event as they are instead of encoding `page` again.
    public var json: Data?

    public init(depName: String, page: FetchDeviceResponse, json: Data? = nil) {
        self.depName = depName
        self.page = page
        self.json = json
    }
}

/// The events of one stored page, appended to the outbox inside the page's transaction: the page
/// itself (`dep.FetchDevices` or `dep.SyncDevices`), then the devices it changed
/// (`depsync.DevicesChanged`, at most `Outbox.changesPerEvent` a event), so that an event is
/// stored exactly when its page's devices and cursor are.
enum PageEvents {
    static func append(
        _ db: Database, _ announcement: PageAnnouncement?, topic: EventTopic,
        changes: [(source: String, devices: [WrittenChange])], at now: Date
    ) throws {
        let depName = announcement?.depName ?? ""
        if let announcement {
            try Outbox.append(db, topic: topic, at: now) { id in
                if let json = announcement.json {
                    return DeviceResponseEvent.splicing(
                        page: json, topic: topic, eventID: id, createdAt: now, depName: depName)
                }
                return try DEPJSON.encode(
                    DeviceResponseEvent(
                        topic: topic, eventID: id, createdAt: now, depName: depName, page: announcement.page))
            }
        }
        for (source, devices) in changes {
            var start = 0
            while start < devices.count {
                let end = min(start + Outbox.changesPerEvent, devices.count)
                try Outbox.append(db, topic: .devicesChanged, at: now) { id in
                    DevicesChangedEvent.json(
                        eventID: id, createdAt: now, depName: depName, source: source, changes: devices[start..<end])
                }
                start = end
            }
        }
    }
}
