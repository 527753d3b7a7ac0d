// The OAuth `Authorization` header of `GET /session` (dep-api §2.1): any header is read or
// refused, and what is read survives being written again (format, then parse, gives it back).
import DEPWire
import FuzzSupport

Fuzzer.run { input in
    guard let parameters = try? OAuthHeader.parse(input.text) else { return }
    let written = OAuthHeader.format(parameters)
    let reread = try? OAuthHeader.parse(written)
    guard reread == parameters else {
        Fuzzer.disagreement("\(parameters) was written as \(written) and read back as \(String(describing: reread))")
    }
}
