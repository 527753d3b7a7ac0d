import DEPWire
import Foundation
import Hummingbird

extension WebRoutes {
    /// One device: what Apple keeps of it, where it stands, its history, and what may be done to it.
    struct DeviceDetail {
        /// One line of a fact list; `href` links its value, `code` sets it as an identifier.
        struct Fact {
            let term: String
            let value: String
            let href: String?
            let code: Bool
        }

        struct Coverage {
            let description: String
            let agreement: String?
            let period: String
            let status: String
            let payment: String
        }

        struct Event {
            let date: String
            let log: String
            let event: String
            let server: String?
            let serverHref: String?
            let detail: String?
        }

        let serial: String
        /// The serial as the JSON routes' paths take it.
        let path: String
        let status: String
        let product: [Fact]
        let purchase: [Fact]
        let standing: [Fact]
        let identifiers: [Fact]
        let coverage: [Coverage]
        let history: [Event]
        let historyIsCapped: Bool
        let servers: [WebOption]
        let hasServers: Bool
        let isReleased: Bool
        let isAssigned: Bool
        let mayReleaseProvisionally: Bool
    }

    func deviceDetail(_ serial: String, _ context: FakeDEPContext) async throws -> DeviceDetail {
        let world = try context.world
        let base = context.webBase ?? ""
        // First, so that a serial the organisation never had is the JSON routes' 404.
        let history = try await world.deviceHistory(serial: serial)
        let info = try await world.machineInfo(serial: serial)
        let device = try await world.listDevices(DeviceFilter(serialPrefix: info.serial), limit: 1).devices[0]
        let apple = try await world.orgDevice(info.serial).attributes ?? .init()
        let coverage = try await world.appleCareCoverage(of: info.serial)
        let servers = try await world.listServers().map {
            WebOption(value: $0.uuid, label: $0.name, selected: $0.name == device.server)
        }
        let now = world.clock.now

        func fact(_ term: String, _ value: String?, href: String? = nil, code: Bool = false) -> DeviceDetail.Fact? {
            guard let value, !value.isEmpty else { return nil }
            return DeviceDetail.Fact(term: term, value: value, href: href, code: code)
        }
        func time(_ date: ABMDateTime?) -> String? { date.map { WebFormat.time($0.date) } }
        func list(_ values: [String]?) -> String? { values.flatMap { $0.isEmpty ? nil : $0.joined(separator: ", ") } }
        func serverHref(_ name: String?) -> String? { name.map { base + "/web/servers/" + WebFormat.segment($0) } }

        let provisional = device.provisionalUntil.map { WebFormat.deadline($0, now: now) }
        return DeviceDetail(
            serial: device.serialNumber, path: WebFormat.segment(device.serialNumber), status: device.status,
            product: [
                fact("Model", device.model), fact("Description", device.description), fact("Family", device.family),
                fact("Product type", device.productType, code: true), fact("Part number", device.partNumber),
                fact("Capacity", device.capacity), fact("Colour", device.color), fact("OS", device.os),
                fact("OS release", "\(info.osVersion) (\(info.version))"), fact("UDID", info.udid, code: true),
            ].compactMap { $0 },
            purchase: [
                fact(
                    "Order", device.orderNumber,
                    href: base + "/web/devices?order=" + WebFormat.segment(device.orderNumber)),
                fact("Ordered", time(apple.orderDateTime)), fact("Purchase source", device.purchaseSource),
                fact("Purchase source id", apple.purchaseSourceId, code: true),
                fact("Added to the organisation", time(apple.addedToOrgDateTime)),
                fact("Released from the organisation", time(apple.releasedFromOrgDateTime ?? nil)),
                fact("Provisional until", provisional), fact("Last changed", time(apple.updatedDateTime)),
            ].compactMap { $0 },
            standing: [
                fact("Status", device.status), fact("MDM server", device.server, href: serverHref(device.server)),
                fact("Profile", device.profileStatus.rawValue), fact("Profile UUID", device.profileUUID, code: true),
                fact("Activation Lock", device.activationLocked ? "locked by its MDM" : "not locked"),
                fact("MDM migration deadline", time(apple.mdmMigrationDeadlineDateTime)),
            ].compactMap { $0 },
            identifiers: [
                fact("IMEI", list(apple.imei), code: true), fact("MEID", list(apple.meid), code: true),
                fact("EID", apple.eid, code: true), fact("Wi-Fi MAC", apple.wifiMacAddress, code: true),
                fact("Bluetooth MAC", apple.bluetoothMacAddress, code: true),
                fact("Ethernet MAC", list(apple.ethernetMacAddress), code: true),
            ].compactMap { $0 },
            coverage: coverage.map { item in
                let attributes = item.attributes
                return DeviceDetail.Coverage(
                    description: attributes.description ?? "Coverage", agreement: attributes.agreementNumber,
                    period: [attributes.startDateTime, attributes.endDateTime].map {
                        $0.map { WebFormat.day($0.date) } ?? "…"
                    }
                    .joined(separator: " – "),
                    status: attributes.status ?? "", payment: attributes.paymentType ?? "")
            },
            history: history.map { entry in
                DeviceDetail.Event(
                    date: WebFormat.time(entry.date), log: entry.log, event: entry.event, server: entry.server,
                    serverHref: serverHref(entry.server), detail: entry.detail)
            },
            historyIsCapped: history.count >= World.deviceHistoryLimit,
            servers: servers, hasServers: !servers.isEmpty,
            isReleased: device.status == "released", isAssigned: device.status == "assigned",
            mayReleaseProvisionally: device.purchaseSource == World.configuratorPurchaseSource
                && device.status != "released")
    }
}
