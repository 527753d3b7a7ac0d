import DEPWire
public import Foundation
import Logging

/// What one `depsync abm devices` refresh did.
public struct ABMRefreshReport: Sendable, Hashable {
    /// Whether the organisation's whole device list was read (the first run, `--full`), rather
    /// than the audit log since the last refresh.
    public var full: Bool
    /// Devices read from the service: listed, or re-read for an audit event.
    public var devicesRead = 0
    /// Audit events read.
    public var auditEvents = 0
    /// Devices new to the store, or whose `updatedDateTime` changed.
    public var changed = 0
    /// Devices found gone from the organisation: released, or missing from a full listing.
    public var removed = 0
    /// The service's time the inventory is now complete up to.
    public var serviceTime: Date

    public init(full: Bool, serviceTime: Date) {
        self.full = full
        self.serviceTime = serviceTime
    }
}

/// Keeps the store's copy of the organisation's devices (`abm_devices`) current.
///
/// The API has no delta feed (peers §5.3): the first refresh lists every device; later ones
/// read the audit log since the last refresh and re-read each device it names, by serial, which
/// is also how a released device is seen (the list leaves it out). Every mark is the service's
/// time, never ours: a fakedep world's clock may be far from ours, and the audit log is stamped
/// by its clock.
struct ABMInventory {
    let client: ABMClient
    let store: LocalStore
    let now: @Sendable () -> Date
    let logger: Logger

    /// How far before the last mark the audit log is read again: the log is stamped in whole
    /// seconds, and an event may be written a moment after a clock reading that precedes it.
    /// Re-reading a device is harmless.
    static let overlap: TimeInterval = 60

    /// A full listing when `full` or when there is no mark to read the audit log from (or the
    /// service's clock is behind it: another world, say); else the audit log since the mark.
    func refresh(full: Bool) async throws -> ABMRefreshReport {
        guard !full, let since = try await store.abmLastRefresh() else { return try await listEverything() }
        // The service states its time in whole seconds: a mark a moment ago may read as later
        // than now. Only a clock well behind the mark (another world's, say) is a regression.
        let stated = try await client.serviceTime()
        guard stated >= since.addingTimeInterval(-Self.overlap) else {
            logger.notice("the service's clock is behind the last refresh; listing every device instead")
            return try await listEverything()
        }
        let end = max(stated, since)
        var report = ABMRefreshReport(full: false, serviceTime: end)
        var serials: [String] = []
        var named: Set<String> = []
        try await client.auditEventPages(from: since.addingTimeInterval(-Self.overlap), to: end) { events in
            report.auditEvents += events.count
            for event in events {
                guard let serial = event.attributes.subjectId, event.attributes.subjectType ?? "DEVICE" == "DEVICE",
                    named.insert(serial).inserted
                else { continue }
                serials.append(serial)
            }
        }
        for serial in serials {
            report.devicesRead += 1
            if let device = try await client.device(serial) {
                let changed = try await store.storeABMDevices([device], at: now())
                let released = (device.attributes?.releasedFromOrgDateTime ?? nil) != nil
                if released { report.removed += changed.count } else { report.changed += changed.count }
            } else if try await store.markABMDeviceRemoved(serial, at: now()) {
                report.removed += 1
            }
        }
        try await store.setABMLastRefresh(end)
        return report
    }

    /// Lists every device; those the store has that the list leaves out are marked removed.
    /// The mark is the service's time at the first page, so what changes while the pages are
    /// read is in the audit log from there.
    private func listEverything() async throws -> ABMRefreshReport {
        let listing = try await store.beginABMListing()
        var started: Date?
        var report = ABMRefreshReport(full: true, serviceTime: now())
        try await client.devicePages { devices in
            if started == nil { started = try await client.serviceTime() }
            report.devicesRead += devices.count
            report.changed += try await store.storeABMDevices(devices, listing: listing, at: now()).count
        }
        report.removed = try await store.finishABMListing(listing, at: now())
        if let started { report.serviceTime = started } else { report.serviceTime = try await client.serviceTime() }
        try await store.setABMLastRefresh(report.serviceTime)
        return report
    }
}
