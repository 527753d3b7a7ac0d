// The S/MIME body of the token download (dep-api §1.2): any text is unwrapped or refused, and
// any bytes wrapped are unwrapped unchanged.
import DEPWire
import FuzzSupport

Fuzzer.run { input in
    _ = try? SMIMEEnvelope.unwrap(input.bytes)
    let wrapped = SMIMEEnvelope.wrap(input.bytes)
    let unwrapped = try? SMIMEEnvelope.unwrap(wrapped)
    guard input.bytes.isEmpty || unwrapped == input.bytes else {
        Fuzzer.disagreement("\(input.bytes) wrapped as \(wrapped) unwraps as \(String(describing: unwrapped))")
    }
}
