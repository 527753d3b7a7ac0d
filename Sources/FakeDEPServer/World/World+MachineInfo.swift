public import DEPWire
import Foundation
import GRDB

extension World {
    /// What device `serial` tells its MDM about itself at enrollment (dep-api §7.4), from its
    /// inventory record: a UDID derived from the serial (stable, in the `00008xxx-…` form of
    /// Apple silicon), its product type, the current release of its OS, its first IMEI and
    /// its MEID. An unknown serial is 404 `NOT_FOUND`.
    public func machineInfo(serial text: String) async throws -> MachineInfo {
        let serial = try Self.deviceSerial(text)
        let device = try await store.read { db in try Self.organisationDevice(serial, db) }
        let release = SoftwareRelease.current(for: device.os)
        return MachineInfo(
            udid: Self.udid(serial: serial), serial: serial, product: device.productType, version: release.build,
            osVersion: release.version, imei: device.imei.flatMap { InventoryDevice.split($0).first },
            meid: device.meid.flatMap { InventoryDevice.split($0).first }, language: "en",
            mdmCanRequestSoftwareUpdate: true)
    }

    /// A UDID of the form Apple silicon devices use (`00008150-` and 16 hex digits), the same
    /// for a serial every time, so an MDM sees one device however often it enrolls.
    static func udid(serial: String) -> String {
        // FNV-1a, 64 bits: stable across runs and platforms, unlike `Hasher`.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in serial.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16, uppercase: true)
        return "00008150-" + String(repeating: "0", count: 16 - hex.count) + hex
    }
}

/// The OS release a simulated device runs: the current one of its platform.
struct SoftwareRelease: Hashable, Sendable {
    var version: String
    var build: String

    /// By DEP's `os` value (dep-api §3.10).
    static func current(for os: String) -> SoftwareRelease {
        switch os {
        case "OSX": SoftwareRelease(version: "26.1", build: "25B78")
        case "tvOS": SoftwareRelease(version: "26.1", build: "23J582")
        case "visionOS": SoftwareRelease(version: "26.1", build: "23N49")
        default: SoftwareRelease(version: "26.1", build: "23B85")  // iOS and iPadOS
        }
    }
}
