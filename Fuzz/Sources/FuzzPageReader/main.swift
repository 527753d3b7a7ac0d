// The fast DEP page reader (fetch and sync pages, dep-api §3.2, §3.3) on any bytes, with and
// without a page limit: it may refuse, never crash, hang or leak.
import DEPWire
import FuzzSupport

Fuzzer.run { input in
    _ = try? FetchDeviceResponse.read(json: input.data)
    _ = try? FetchDeviceResponse.read(json: input.data, limit: 2)
}
