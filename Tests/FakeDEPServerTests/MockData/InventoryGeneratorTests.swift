import Foundation
import Testing

@testable import FakeDEPServer

/// A fixed "now" for generated inventories: 2026-06-01T00:00:00Z.
private let now = Date(timeIntervalSince1970: 1_780_272_000)

private func inventory(seed: UInt64, devices: Int, serialsTaken: (String) -> Bool = { _ in false }) throws
    -> [GeneratedOrder]
{
    InventoryGenerator.orders(
        catalog: try MockDataFiles.catalog(), seed: seed, deviceCount: devices, endingAt: now,
        serialsTaken: serialsTaken)
}

/// Whether `digits` (all ASCII digits) ends in a valid Luhn check digit; written apart from
/// the generator's own so that the two check each other.
private func passesLuhn(_ digits: [Int]) -> Bool {
    let sum = digits.reversed().enumerated().reduce(0) { sum, item in
        let doubled = item.offset % 2 == 1 ? item.element * 2 : item.element
        return sum + (doubled > 9 ? doubled - 9 : doubled)
    }
    return sum % 10 == 0
}

@Test func sameSeedGivesTheSameInventory() throws {
    #expect(try inventory(seed: 11, devices: 500) == inventory(seed: 11, devices: 500))
}

@Test func differentSeedsGiveDifferentInventories() throws {
    let first = try inventory(seed: 11, devices: 200).flatMap(\.devices).map(\.serial)
    let second = try inventory(seed: 12, devices: 200).flatMap(\.devices).map(\.serial)
    #expect(Set(first).isDisjoint(with: second))
}

@Test func ordersHoldExactlyTheRequestedDevicesInRealisticSizes() throws {
    let orders = try inventory(seed: 5, devices: 3_000)
    #expect(orders.reduce(0) { $0 + $1.devices.count } == 3_000)
    #expect(orders.allSatisfy { (1...500).contains($0.devices.count) })
    let small = orders.filter { $0.devices.count <= 5 }.count
    #expect(small > orders.count / 4, "most organisations buy a few devices at a time")
    #expect(orders.contains { $0.devices.count > 100 })
}

@Test func ordersAreNumberedUniquelyAndDatedOldestFirstWithinTwoYears() throws {
    let orders = try inventory(seed: 6, devices: 2_000)
    #expect(Set(orders.map(\.number)).count == orders.count)
    for order in orders {
        #expect(order.number.count == 10 && order.number.first == "D")
        #expect(order.number.dropFirst().allSatisfy { $0.isASCIIDigit })
        #expect(order.date < now && order.date >= now.addingTimeInterval(-730 * 86_400))
        #expect(order.date.timeIntervalSince1970 == order.date.timeIntervalSince1970.rounded(.down))
        #expect(order.purchaseSource == "APPLE" || order.purchaseSource.hasPrefix("RESELLER-"))
    }
    #expect(zip(orders, orders.dropFirst()).allSatisfy { $0.date <= $1.date })
}

@Test func serialsAreUniqueAndUseApplesAlphabet() throws {
    let devices = try inventory(seed: 7, devices: 5_000).flatMap(\.devices)
    let alphabet = Set(DeviceIdentifierSource.serialAlphabet)
    #expect(Set(devices.map(\.serial)).count == devices.count)
    for device in devices {
        #expect(device.serial.count == 10 || device.serial.count == 12, "\(device.serial)")
        #expect(device.serial.allSatisfy(alphabet.contains), "\(device.serial)")
        #expect(!device.serial.contains { "AEIOU".contains($0) })
    }
    #expect(devices.contains { $0.serial.count == 12 }, "older Macs keep 12-character serials")
}

@Test func takenSerialsAndOrderNumbersAreNeverIssued() throws {
    let catalog = try MockDataFiles.catalog()
    let first = try inventory(seed: 8, devices: 1_000)
    let serials = Set(first.flatMap(\.devices).map(\.serial))
    let numbers = Set(first.map(\.number))
    var generator = InventoryGenerator(catalog: catalog, seed: 8, deviceCount: 1_000, endingAt: now)
    var again: [GeneratedOrder] = []
    while let order = generator.nextOrder(serialsTaken: serials.contains, orderNumbersTaken: numbers.contains) {
        again.append(order)
    }
    #expect(again.reduce(0) { $0 + $1.devices.count } == 1_000)
    #expect(Set(again.flatMap(\.devices).map(\.serial)).isDisjoint(with: serials))
    #expect(Set(again.map(\.number)).isDisjoint(with: numbers))
}

@Test func imeisAreGroupedLikeApplesAndCarryValidLuhnDigits() throws {
    let devices = try inventory(seed: 9, devices: 3_000).flatMap(\.devices)
    let imeis = devices.compactMap(\.imei).joined()
    #expect(!imeis.isEmpty)
    #expect(Set(imeis).count == imeis.count, "IMEIs are unique")
    for imei in imeis {
        let groups = imei.split(separator: " ", omittingEmptySubsequences: false)
        #expect(groups.map(\.count) == [2, 6, 6, 1], "\(imei)")
        let digits = groups.joined().compactMap(\.wholeNumberValue)
        #expect(digits.count == 15 && passesLuhn(digits), "\(imei)")
    }
    for device in devices where device.family == "iPhone" {
        #expect(device.imei?.count == 2, "dual-SIM iPhones have two IMEIs")
        #expect(device.eid != nil)
    }
    #expect(devices.filter { $0.family == "Mac" }.allSatisfy { $0.imei == nil && $0.eid == nil })
}

@Test func meidsAreTheFirstFourteenDigitsOfTheIMEI() throws {
    let devices = try inventory(seed: 9, devices: 3_000).flatMap(\.devices).filter { $0.meid != nil }
    #expect(!devices.isEmpty)
    for device in devices {
        #expect(device.meid?.first.map { "\($0) " } == device.imei?.first.map { String($0.dropLast()) })
    }
}

@Test func eidsHaveThirtyTwoDigitsAndAValidCheck() throws {
    let eids = try inventory(seed: 10, devices: 2_000).flatMap(\.devices).compactMap(\.eid)
    #expect(!eids.isEmpty)
    for eid in eids {
        #expect(eid.count == 32 && eid.allSatisfy(\.isASCIIDigit) && eid.hasPrefix("89"), "\(eid)")
        #expect(eid.reduce(0) { ($0 * 10 + ($1.wholeNumberValue ?? 0)) % 97 } == 1, "\(eid)")
    }
}

@Test func macAddressesAreWellFormedAndUnique() throws {
    let devices = try inventory(seed: 13, devices: 3_000).flatMap(\.devices)
    let macs = devices.flatMap { [$0.wifiMAC, $0.ethernetMAC, $0.bluetoothMAC].compactMap { $0 } }
    #expect(Set(macs).count == macs.count)
    for mac in macs {
        let octets = mac.split(separator: ":", omittingEmptySubsequences: false)
        #expect(octets.count == 6 && octets.allSatisfy { $0.count == 2 }, "\(mac)")
        #expect(mac.allSatisfy { "0123456789ABCDEF:".contains($0) }, "\(mac)")
    }
}

@Test func devicesFollowTheirCatalogueEntry() throws {
    let catalog = try MockDataFiles.catalog()
    let devices = try inventory(seed: 14, devices: 2_000).flatMap(\.devices)
    for device in devices {
        let entry = try #require(
            catalog.entries.first {
                $0.productType == device.productType && device.partNumber.hasPrefix($0.partNumberPrefix)
            })
        let expected = [entry.descriptionPrefix, device.color, device.capacity].compactMap { $0 }
        #expect(device.description == expected.joined(separator: " "))
        #expect(device.model == entry.model && device.os == entry.os && device.family == entry.family)
        #expect(device.color.map(entry.colors.contains) ?? entry.colors.isEmpty)
        #expect(device.capacity.map(entry.capacities.contains) ?? entry.capacities.isEmpty)
        #expect(device.partNumber.hasSuffix("LL/A") && device.partNumber.count == 9)
        #expect(device.serial.count == entry.serialLength)
        #expect((device.imei != nil) == entry.hasIMEI && (device.meid != nil) == entry.hasMEID)
        #expect((device.eid != nil) == entry.hasEID && (device.ethernetMAC != nil) == entry.hasEthernet)
        #expect((device.wifiMAC != nil) == entry.hasWiFi && (device.bluetoothMAC != nil) == entry.hasBluetooth)
    }
}

@Test func defaultOrganisationHasEveryFamilyInAFewOrders() throws {
    let orders = InventoryGenerator.mockOrganisationOrders(catalog: try MockDataFiles.catalog(), endingAt: now)
    let devices = orders.flatMap(\.devices)
    #expect((3...5).contains(orders.count))
    #expect((60...90).contains(devices.count))
    #expect(Set(devices.map(\.family)) == Set(Catalog.families))
    #expect(Set(devices.map(\.serial)).count == devices.count)
}

@Test func defaultOrganisationNeverChanges() throws {
    let catalog = try MockDataFiles.catalog()
    let today = InventoryGenerator.mockOrganisationOrders(catalog: catalog, endingAt: now)
    let later = InventoryGenerator.mockOrganisationOrders(
        catalog: catalog, endingAt: now.addingTimeInterval(86_400 * 90))
    #expect(today.map(\.devices) == later.map(\.devices))
    #expect(today.map(\.number) == later.map(\.number))
    // Pinned, so that a change to the generator or the catalogue that moves them is noticed.
    #expect(today.first?.number == PinnedMockOrganisation.firstOrderNumber)
    #expect(today.first?.devices.first?.serial == PinnedMockOrganisation.firstSerial)
}

/// Values of the default organisation that its users may have written down.
private enum PinnedMockOrganisation {
    static let firstOrderNumber = "D174924778"
    static let firstSerial = "2YRM0VL0FT"
}

@Test func aHundredThousandDevicesStreamWithUniqueSerials() throws {
    var generator = InventoryGenerator(
        catalog: try MockDataFiles.catalog(), seed: 100, deviceCount: 100_000, endingAt: now)
    var serials = Set<String>()
    var count = 0
    while let order = generator.nextOrder() {
        count += order.devices.count
        for device in order.devices { serials.insert(device.serial) }
    }
    #expect(count == 100_000 && serials.count == 100_000)
    #expect(generator.remainingDevices == 0 && generator.nextOrder() == nil)
}

@Test func imeiScramblingIsAPermutationOfTheSerialDigits() {
    var seen = Set<UInt32>()
    for value in UInt32(0)..<1_000_000 {
        seen.insert(DeviceIdentifierSource.scramble(value, below: 1_000_000, bits: 20, key: 0xDEAD_BEEF))
    }
    #expect(seen.count == 1_000_000 && seen.allSatisfy { $0 < 1_000_000 })
}
