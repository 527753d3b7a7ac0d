import DEPTestSupport
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A plain TCP connection to a test server that writes exact bytes and reads exactly what comes
/// back, to see what a client sees below HTTP libraries: each response, and the server closing
/// the connection. The socket is blocking; every blocking call runs on a thread of its own
/// (`OwnThread`).
///
/// It reads from the moment it connects, as a real client does, into a buffer the test takes
/// from later: a server that answers and then closes with request bytes still unread sends a
/// reset, which makes the kernel drop whatever the client had not read yet. A test resumed late
/// on a busy machine must still see the answer that arrived in time.
final class RawConnection: Sendable {
    /// How a wait for the server ended.
    enum Ending: Equatable {
        /// The server closed the connection (end of stream, or a reset).
        case closed
        /// Nothing happened within the wait.
        case timedOut
    }

    /// A failure of the connection itself.
    enum Failure: Error, Equatable {
        case connect(Int32)
        /// The server closed the connection (a send or a read failed, or the stream ended).
        case closed
        case timedOut
        case malformedResponse(String)
    }

    /// One HTTP/1.1 response as it came over the wire.
    struct Response {
        var status: Int
        var headers: [(name: String, value: String)]
        var body: [UInt8]

        var text: String { String(decoding: body, as: UTF8.self) }

        func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }
    }

    private let descriptor: Int32
    /// What the reading thread has read; shared with it, so it holds no reference to the
    /// connection (which would keep `deinit` from closing the socket).
    private final class Inbox: Sendable {
        /// Bytes read and not yet handed out.
        let pending = Mutex<[UInt8]>([])
        /// Whether the stream has ended (the server closed or reset the connection).
        let ended = Mutex(false)
    }

    private let inbox = Inbox()
    /// How long a read waits for the server.
    private let wait: Duration

    /// Connects to `127.0.0.1:port`; reads and writes give up after `wait` (a generous bound,
    /// not a timing assertion).
    init(port: Int, wait: Duration = .seconds(120)) async throws {
        self.wait = wait
        descriptor = try await OwnThread.blocking {
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard descriptor >= 0 else { throw Failure.connect(errno) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard result == 0 else {
                let error = errno
                Glibc.close(descriptor)
                throw Failure.connect(error)
            }
            var timeout = timeval(tv_sec: Int(wait.components.seconds), tv_usec: 0)
            setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            return descriptor
        }
        startReading()
    }

    deinit {
        // Wakes the reading thread (a bare close would leave its recv blocked).
        _ = Glibc.shutdown(descriptor, Int32(SHUT_RDWR))
        Glibc.close(descriptor)
    }

    /// Reads on the connection's own thread until the stream ends, into `pending`.
    private func startReading() {
        let descriptor = descriptor
        OwnThread.run { [inbox] in
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
                if count > 0 {
                    inbox.pending.withLock { $0 += buffer[..<count] }
                } else if count < 0, errno == EINTR || errno == EAGAIN {
                    continue
                } else {
                    inbox.ended.withLock { $0 = true }
                    return
                }
            }
        }
    }

    /// Opens a connection, sends `request` and reads its answer, on fresh connections until one
    /// is answered (for up to 30 s): a server on a loaded machine may close a connection it could
    /// not read within a test's one-second timeout, as it should.
    static func answered(_ request: String, port: Int) async throws -> (RawConnection, Response) {
        for _ in 0..<300 {
            let connection = try await RawConnection(port: port)
            if (try? await connection.send(request)) != nil, let response = try? await connection.readResponse() {
                return (connection, response)
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw Failure.timedOut
    }

    /// Writes `text` as UTF-8, all of it.
    func send(_ text: String) async throws {
        try await send(Array(text.utf8))
    }

    /// Writes `bytes`, all of them; `Failure.closed` once the server has closed the connection.
    func send(_ bytes: [UInt8]) async throws {
        let descriptor = descriptor
        try await OwnThread.blocking {
            var offset = 0
            while offset < bytes.count {
                let sent = bytes[offset...].withUnsafeBytes {
                    Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
                }
                if sent < 0 {
                    if errno == EINTR { continue }
                    throw errno == EAGAIN ? Failure.timedOut : Failure.closed
                }
                offset += sent
            }
        }
    }

    /// Reads one response: its head, and a body of `Content-Length` bytes.
    func readResponse() async throws -> Response {
        var head = try await read(through: Array("\r\n\r\n".utf8))
        head.removeLast(4)
        let lines = String(decoding: head, as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ", maxSplits: 2)
        guard statusParts.count >= 2, statusParts[0].hasPrefix("HTTP/1."), let status = Int(statusParts[1]) else {
            throw Failure.malformedResponse(lines[0])
        }
        let headers = lines.dropFirst().compactMap { line -> (name: String, value: String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        var response = Response(status: status, headers: headers, body: [])
        let length = response.header("Content-Length").flatMap { Int($0) } ?? 0
        response.body = try await read(count: length)
        return response
    }

    /// Waits until the server closes the connection, discarding anything it sends; `.timedOut`
    /// if it is still open after the connection's wait.
    func waitForClose() async -> Ending {
        (try? await readToEnd()).map { _ in .closed } ?? .timedOut
    }

    /// Everything the server sends until it closes the connection.
    func readToEnd() async throws -> [UInt8] {
        let deadline = ContinuousClock.now + wait
        while !inbox.ended.withLock({ $0 }) {
            guard ContinuousClock.now < deadline else { throw Failure.timedOut }
            try await Task.sleep(for: .milliseconds(5))
        }
        return inbox.pending.withLock { pending in
            defer { pending = [] }
            return pending
        }
    }

    /// Closes the client's side at once.
    func shutdown() {
        _ = Glibc.shutdown(descriptor, Int32(SHUT_RDWR))
    }

    private func read(through delimiter: [UInt8]) async throws -> [UInt8] {
        while true {
            let found = inbox.pending.withLock { pending -> [UInt8]? in
                guard let end = Self.index(of: delimiter, in: pending) else { return nil }
                defer { pending.removeFirst(end) }
                return Array(pending[..<end])
            }
            if let found { return found }
            try await fill()
        }
    }

    private func read(count: Int) async throws -> [UInt8] {
        while inbox.pending.withLock({ $0.count }) < count { try await fill() }
        return inbox.pending.withLock { pending in
            defer { pending.removeFirst(count) }
            return Array(pending[..<count])
        }
    }

    /// Waits until more bytes than are buffered now have been read; `.closed` if the stream ends
    /// first, `.timedOut` after the connection's wait.
    private func fill() async throws {
        let before = inbox.pending.withLock { $0.count }
        let deadline = ContinuousClock.now + wait
        while inbox.pending.withLock({ $0.count }) <= before {
            if inbox.ended.withLock({ $0 }) {
                guard inbox.pending.withLock({ $0.count }) > before else { throw Failure.closed }
                return
            }
            guard ContinuousClock.now < deadline else { throw Failure.timedOut }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    private static func index(of delimiter: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= delimiter.count else { return nil }
        for start in 0...(bytes.count - delimiter.count)
        where bytes[start..<start + delimiter.count].elementsEqual(delimiter) {
            return start + delimiter.count
        }
        return nil
    }
}

extension RawConnection.Response {
    /// The `error` code of a portal refusal; throws unless the body is exactly the portal's
    /// error shape, `{"error": CODE, "message": TEXT}` as `application/json`.
    func portalError() throws -> String {
        let object = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]
        guard header("Content-Type") == "application/json", let object, Set(object.keys) == ["error", "message"],
            let error = object["error"] as? String, let message = object["message"] as? String, !error.isEmpty,
            !message.isEmpty
        else { throw RawConnection.Failure.malformedResponse(text) }
        return error
    }
}
