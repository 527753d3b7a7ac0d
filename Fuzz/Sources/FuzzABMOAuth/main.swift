// Apple Business Manager's OAuth 2 token request: the form body, the client assertion JWT and
// its base64url parts. Any input is read or refused; a form read is written and read back the
// same.
import DEPWire
import FuzzSupport

Fuzzer.run { input in
    let text = input.text
    _ = Base64URL.decode(text)
    _ = try? TokenRequest(form: text)
    if let jwt = try? JWT(compact: text) {
        _ = try? jwt.claims(ClientAssertionClaims.self)
    }
    guard let pairs = FormEncoding.decode(text) else { return }
    let written = FormEncoding.encode(pairs)
    guard let reread = FormEncoding.decode(written),
        reread.map(\.name) == pairs.map(\.name), reread.map(\.value) == pairs.map(\.value)
    else {
        Fuzzer.disagreement("\(pairs) was written as \(written) and read back otherwise")
    }
}
