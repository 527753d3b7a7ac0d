public import FakeDEPServer

extension TestServer {
    /// Every serial the inventory lists for `filter`, in serial order.
    public func serials(_ filter: DeviceFilter) async throws -> [String] {
        var serials: [String] = []
        var after: String?
        repeat {
            let page = try await world.listDevices(filter, limit: 1000, after: after)
            serials += page.devices.map(\.serialNumber)
            after = page.next
        } while after != nil
        return serials
    }

    /// `count` serials of devices on no server (of `family`, when given), in serial order; seeds
    /// more devices (always the same ones) when the organisation has too few.
    public func freeSerials(_ count: Int, family: String? = nil) async throws -> [String] {
        let free = DeviceFilter(family: family, status: "unassigned")
        var serials = try await serials(free)
        if serials.count < count, family == nil {
            _ = try await world.seed(deviceCount: count - serials.count + 10, seed: 42)
            serials = try await self.serials(free)
        }
        guard serials.count >= count else {
            throw TooFewDevices(description: "only \(serials.count) free devices of \(family ?? "any family")")
        }
        return Array(serials.prefix(count))
    }
}

/// The organisation has fewer free devices of a family than a test needs.
public struct TooFewDevices: Error, CustomStringConvertible {
    public let description: String
}
