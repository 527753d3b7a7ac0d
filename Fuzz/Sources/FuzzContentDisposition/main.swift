// `Content-Disposition` of the token download (RFC 6266): any header value gives a file name
// or none, and any name written by `attachment` is read back unchanged (an empty name is none).
import DEPWire
import FuzzSupport

Fuzzer.run { input in
    let text = input.text
    _ = ContentDisposition.fileName(from: text)
    guard !text.isEmpty else { return }
    let header = ContentDisposition.attachment(fileName: text)
    guard ContentDisposition.fileName(from: header) == text else {
        Fuzzer.disagreement("\(text) was written as \(header) and read back otherwise")
    }
}
