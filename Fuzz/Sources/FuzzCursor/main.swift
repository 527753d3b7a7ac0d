// The cursor opener (dep-api §4): any text a client sends back is opened or refused; fields
// sealed under the key, whatever they hold, are parsed or refused; and any cursor sealed is
// opened unchanged. The first byte chooses which of the three the input is.
import DEPWire
import FuzzSupport

let key = [UInt8](repeating: 7, count: 32)

/// The cursor an input describes: three numbers from its first 24 bytes, the rest as serial.
func cursor(from bytes: [UInt8], isSync: Bool) -> DeviceCursor {
    func number(_ index: Int) -> Int64 {
        let slice = bytes.dropFirst(index * 8).prefix(8)
        return slice.reduce(Int64(0)) { $0 << 8 | Int64($1) }
    }
    let serial = String(decoding: bytes.dropFirst(24), as: UTF8.self)
    let phase: DeviceCursor.Phase =
        isSync
        ? .sync(after: number(1) ^ number(2))
        : .fetch(
            after: bytes.count > 24 ? DeviceCursor.DeviceKey(assignedDate: number(1), serial: serial) : nil,
            isComplete: number(2) & 1 == 1)
    return DeviceCursor(server: number(0), phase: phase, snapshotSequence: number(2), issued: number(1) &+ 1)
}

Fuzzer.run { input in
    guard let (selector, rest) = input.choice else { return }
    switch selector % 3 {
    case 0:
        _ = DeviceCursor(sealed: String(decoding: rest, as: UTF8.self), key: key)
    case 1:
        let sealed = Base64URL.encode(rest + [UInt8(ascii: ":")] + HMACSHA1.authenticationCode(for: rest, key: key))
        _ = DeviceCursor(sealed: sealed, key: key)
    default:
        let original = cursor(from: rest, isSync: selector & 0x80 != 0)
        let sealed = original.sealed(with: key)
        guard sealed.utf8.count > 1000 || DeviceCursor(sealed: sealed, key: key) == original else {
            Fuzzer.disagreement("\(original) sealed as \(sealed) opens as something else")
        }
    }
}
