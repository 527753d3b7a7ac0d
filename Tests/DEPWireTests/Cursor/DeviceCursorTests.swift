import Testing

@testable import DEPWire

/// The sealed cursor (dep-api §4): opened only under its key, unchanged, and refused otherwise.
struct DeviceCursorTests {
    static let key = [UInt8](repeating: 1, count: 32)

    static let fetch = DeviceCursor(
        server: 3, phase: .fetch(after: .init(assignedDate: 1_699_990_000, serial: "C02XK1ABCDEF"), isComplete: false),
        snapshotSequence: 120, issued: 1_700_000_000)

    @Test(arguments: [
        fetch,
        DeviceCursor(server: 3, phase: .fetch(after: nil, isComplete: true), snapshotSequence: 0, issued: -5),
        DeviceCursor(server: 9, phase: .sync(after: 131), snapshotSequence: 120, issued: 1_700_000_000),
    ])
    func aSealedCursorOpensUnchanged(cursor: DeviceCursor) {
        #expect(DeviceCursor(sealed: cursor.sealed(with: Self.key), key: Self.key) == cursor)
    }

    @Test func aSerialHoldingColonsSurvivesSealing() {
        var cursor = Self.fetch
        cursor.phase = .fetch(after: .init(assignedDate: 1, serial: "A:B::C:"), isComplete: false)
        #expect(DeviceCursor(sealed: cursor.sealed(with: Self.key), key: Self.key) == cursor)
    }

    /// Found by `FuzzCursor`: split as characters, the colon before a serial that starts with a
    /// combining mark joined it in one character, and the sealed cursor no longer opened.
    @Test func aSerialStartingWithACombiningMarkSurvivesSealing() {
        var cursor = Self.fetch
        cursor.phase = .fetch(after: .init(assignedDate: 1, serial: "\u{05AC}C02XK1ABCDEF"), isComplete: false)
        #expect(DeviceCursor(sealed: cursor.sealed(with: Self.key), key: Self.key) == cursor)
    }

    @Test func anotherKeyOrAnAlteredTextIsRefused() {
        let sealed = Self.fetch.sealed(with: Self.key)
        #expect(DeviceCursor(sealed: sealed, key: [UInt8](repeating: 2, count: 32)) == nil)
        var altered = Array(sealed.utf8)
        altered[4] = altered[4] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        #expect(DeviceCursor(sealed: String(decoding: altered, as: UTF8.self), key: Self.key) == nil)
    }

    @Test(arguments: ["", "=", "abc+/", "not a cursor", String(repeating: "A", count: 1001)])
    func textThatIsNoCursorIsRefused(text: String) {
        #expect(DeviceCursor(sealed: text, key: Self.key) == nil)
    }

    @Test(arguments: [
        "f:3:120:1700000000:0", "s:3:120:1700000000:x", "s:3:120:1700000000:1:2", "x:1:2:3:4", "f:a:1:2:0::",
    ])
    func sealedFieldsThatDoNotParseAreRefused(fields: String) {
        let bytes = Array(fields.utf8)
        let sealed = Base64URL.encode(
            bytes + [UInt8(ascii: ":")] + HMACSHA1.authenticationCode(for: bytes, key: Self.key))
        #expect(DeviceCursor(sealed: sealed, key: Self.key) == nil)
    }
}
