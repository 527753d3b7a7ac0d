import CCurl
import Foundation

/// One libcurl easy handle, reused across requests so connections stay alive.
///
/// Not thread-safe: `HTTPClient` uses it only from one serial queue, which is what makes the
/// `Sendable` claim true.
final class CurlHandle: @unchecked Sendable {
    private let handle: UnsafeMutableRawPointer
    private let options: TransportOptions
    /// Where libcurl writes its error text; it must stay at one address for the handle's life.
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)

    private static let globalInit: Void = { curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

    init(options: TransportOptions) {
        _ = Self.globalInit
        handle = curl_easy_init()!
        self.options = options
    }

    deinit {
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
    }

    /// Performs `request`, blocking until the response is complete.
    func perform(_ request: HTTPRequest, userAgent: String) throws -> HTTPResponse {
        curl_easy_reset(handle)
        // A HEAD response announces a length it does not send.
        let received = ResponseBuffer(limit: options.maximumResponseSize, checksLength: request.method != "HEAD")
        let context = Unmanaged.passRetained(received)
        defer { context.release() }

        var headerList: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(headerList) }
        // curl adds these on its own; an empty value removes them unless the caller sets them.
        for line in ["Expect:", "Accept:"] + request.headers.map({ "\($0.name): \($0.value)" }) {
            headerList = curl_slist_append(headerList, line)
        }

        try check(CCurl_setopt_string(handle, CURLOPT_URL, request.url))
        try check(CCurl_setopt_long(handle, CURLOPT_NOSIGNAL, 1))
        try check(CCurl_setopt_string(handle, CURLOPT_USERAGENT, userAgent))
        try check(CCurl_setopt_string(handle, CURLOPT_ACCEPT_ENCODING, ""))
        try check(CCurl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Int(options.connectTimeout * 1000)))
        try check(CCurl_setopt_long(handle, CURLOPT_TIMEOUT_MS, Int(options.totalTimeout * 1000)))
        try check(CCurl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList))
        errorBuffer.initialize(to: 0)
        try check(CCurl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer))
        if let caFile = options.caFile { try check(CCurl_setopt_string(handle, CURLOPT_CAINFO, caFile)) }
        if let anchors = options.anchorCertificates { try trustOnly(anchors) }
        if options.insecure {
            try check(CCurl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 0))
            try check(CCurl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 0))
        }
        try check(CCurl_setopt_write(handle, CURLOPT_WRITEFUNCTION, ResponseBuffer.receiveBody))
        try check(CCurl_setopt_pointer(handle, CURLOPT_WRITEDATA, context.toOpaque()))
        try check(CCurl_setopt_write(handle, CURLOPT_HEADERFUNCTION, ResponseBuffer.receiveHeader))
        try check(CCurl_setopt_pointer(handle, CURLOPT_HEADERDATA, context.toOpaque()))

        let body = request.body ?? Data()
        switch request.method {
        case "GET" where request.body == nil:
            try check(CCurl_setopt_long(handle, CURLOPT_HTTPGET, 1))
        case "HEAD":
            try check(CCurl_setopt_long(handle, CURLOPT_NOBODY, 1))
        default:
            try check(CCurl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, request.method))
        }
        let code = body.withUnsafeBytes { bytes -> CURLcode in
            if request.body != nil {
                _ = CCurl_setopt_offset(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(bytes.count))
                _ = CCurl_setopt_pointer(
                    handle, CURLOPT_POSTFIELDS,
                    UnsafeMutableRawPointer(mutating: bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!))
            }
            return curl_easy_perform(handle)
        }
        // The callbacks' short count surfaces as CURLE_WRITE_ERROR; the reason is ours.
        if received.isTooLarge { throw TransportError.responseTooLarge(limit: options.maximumResponseSize) }
        try check(code)
        var status = 0
        try check(CCurl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status))
        return HTTPResponse(status: status, headers: received.headers, body: received.body)
    }

    /// Makes `anchors` the only trusted roots: an in-memory bundle replaces the CA file, and the
    /// CA directory libcurl would otherwise also search is switched off. Copied by libcurl.
    private func trustOnly(_ anchors: [Data]) throws {
        var bundle = Array(anchors.map(Self.pem).joined().utf8)
        try check(CCurl_setopt_string(handle, CURLOPT_CAPATH, nil))
        try bundle.withUnsafeMutableBytes { bytes in
            var blob = curl_blob(data: bytes.baseAddress, len: bytes.count, flags: UInt32(CURL_BLOB_COPY))
            try check(CCurl_setopt_blob(handle, CURLOPT_CAINFO_BLOB, &blob))
        }
    }

    /// A DER certificate in the PEM form libcurl's OpenSSL backend reads.
    private static func pem(_ der: Data) -> String {
        let base64 = der.base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
        return "-----BEGIN CERTIFICATE-----\n\(base64)\n-----END CERTIFICATE-----\n"
    }

    private func check(_ code: CURLcode) throws {
        guard code != CURLE_OK else { return }
        let detail = Self.text(errorBuffer)
        let message = detail.isEmpty ? Self.text(curl_easy_strerror(code)) : detail
        let transient: Set<CURLcode> = [
            CURLE_COULDNT_CONNECT, CURLE_OPERATION_TIMEDOUT, CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_GOT_NOTHING,
            CURLE_COULDNT_RESOLVE_HOST, CURLE_PARTIAL_FILE,
        ]
        throw TransportError(code: Int(code.rawValue), message: message, isTransient: transient.contains(code))
    }
}

extension CurlHandle {
    /// A C string libcurl wrote, as text.
    fileprivate static func text(_ cString: UnsafePointer<CChar>) -> String {
        String(decoding: UnsafeRawBufferPointer(start: cString, count: strlen(cString)), as: UTF8.self)
    }
}

/// Collects a response's headers and body from libcurl's callbacks, up to `limit` body bytes.
///
/// libcurl hands the body over already decoded, so counting here also stops a gzip bomb. Past
/// the limit a callback returns a short count, which makes libcurl abort the transfer; a
/// `Content-Length` above the limit aborts it before the body is read at all.
private final class ResponseBuffer {
    let limit: Int
    /// Whether a `Content-Length` above the limit stops the transfer.
    let checksLength: Bool
    var headers: [(name: String, value: String)] = []
    var body = Data()
    /// Whether the response was stopped for its size.
    var isTooLarge = false

    /// The most a `Content-Length` makes room for ahead of the body.
    static let reservedAtMost = 16 << 20

    init(limit: Int, checksLength: Bool) {
        self.limit = limit
        self.checksLength = checksLength
    }

    static let receiveBody: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
        data, size, count, context in
        let buffer = Unmanaged<ResponseBuffer>.fromOpaque(context!).takeUnretainedValue()
        let length = size * count
        guard length <= buffer.limit - buffer.body.count else {
            buffer.isTooLarge = true
            return 0
        }
        if let data {
            buffer.body.append(UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: length)
        }
        return length
    }

    static let receiveHeader: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int =
        {
            data, size, count, context in
            let buffer = Unmanaged<ResponseBuffer>.fromOpaque(context!).takeUnretainedValue()
            guard let data else { return size * count }
            let line = String(decoding: UnsafeRawBufferPointer(start: data, count: size * count), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            if line.hasPrefix("HTTP/") {
                buffer.headers = []  // a new response (after a 100 Continue or a redirect)
            } else if let colon = line.firstIndex(of: ":") {
                let name = String(line[..<colon])
                let value = String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
                if name.caseInsensitiveCompare("Content-Length") == .orderedSame, let length = Int(value) {
                    if buffer.checksLength, length > buffer.limit {
                        buffer.isTooLarge = true
                        return 0
                    }
                    // Room for the whole body at once: grown by doubling instead, a 1 MB page
                    // held 2 MB and was copied on the way. A claim past `reservedAtMost` is
                    // not taken on trust.
                    buffer.body.reserveCapacity(min(max(0, length), buffer.limit, ResponseBuffer.reservedAtMost))
                }
                buffer.headers.append((name, value))
            }
            return size * count
        }
}
