// The fast page reader against `JSONDecoder`: on every input both give the same page (the same
// devices, in order, and the same page fields) or both refuse; with a limit, a page over the
// limit is refused either way.
import DEPWire
import FuzzSupport

let limit = 2

Fuzzer.run { input in
    let data = input.data
    let decoded = try? DEPJSON.decode(FetchDeviceResponse.self, from: data)
    let read = try? FetchDeviceResponse.read(json: data)
    guard read == decoded else {
        Fuzzer.disagreement("read(json:) gave \(String(describing: read)), JSONDecoder \(String(describing: decoded))")
    }
    let limited = try? FetchDeviceResponse.read(json: data, limit: limit)
    let expected = decoded.flatMap { ($0.devices?.count ?? 0) <= limit ? $0 : nil }
    guard limited == expected else {
        Fuzzer.disagreement(
            "read(json:limit:) gave \(String(describing: limited)), JSONDecoder \(String(describing: expected))")
    }
}
