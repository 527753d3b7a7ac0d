// The decrypted server-token message (dep-api §1.2, §1.4): any message is read or refused, and
// the tokens read are written again by `build` and read back the same.
import DEPWire
import FuzzSupport

Fuzzer.run { input in
    guard let tokens = try? TokenMessage.parse(input.bytes) else { return }
    let rebuilt = TokenMessage.build(tokens)
    let reread = try? TokenMessage.parse(rebuilt)
    guard reread == tokens else {
        Fuzzer.disagreement("\(tokens) was built as \(rebuilt) and read back as \(String(describing: reread))")
    }
}
