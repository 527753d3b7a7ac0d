import Foundation
import Hummingbird
import NIOCore

extension FaultAction.TransportFault {
    /// Fails the connection as this fault says, after getting the usual answer from `answer` where
    /// part of it is sent; returns what went out, for the journal.
    func perform(on channel: any Channel, answer: () async throws -> Response) async throws -> SentAnswer {
        let sent: SentAnswer
        let reply: RawReply
        switch self {
        case .reset:
            sent = SentAnswer(status: 0, body: [])
            reply = RawReply(bytes: [], ending: .reset)
        case .emptyReply:
            sent = SentAnswer(status: 0, body: [])
            reply = RawReply(bytes: [], ending: .close)
        case .cutAfter(let count):
            let response = try await answer()
            let body = try await ResponseBytes.collect(response.body)
            var head = response.head
            head.headerFields[.contentLength] = String(body.count)
            head.headerFields[.transferEncoding] = nil
            let cut = Array(body.prefix(count))
            sent = SentAnswer(status: Int(head.status.code), body: cut)
            reply = RawReply(bytes: Self.serialized(head) + cut, ending: .close)
        case .malformedChunk:
            let response = try await answer()
            let body = try await ResponseBytes.collect(response.body)
            var head = response.head
            head.headerFields[.contentLength] = nil
            head.headerFields[.transferEncoding] = "chunked"
            // A chunk size must be hexadecimal digits.
            let chunk = Array("ZZ\r\n".utf8) + body + Array("\r\n0\r\n\r\n".utf8)
            sent = SentAnswer(status: Int(head.status.code), body: body)
            reply = RawReply(bytes: Self.serialized(head) + chunk, ending: .close)
        }
        try await channel.triggerUserOutboundEvent(reply).get()
        return sent
    }

    /// A response head as HTTP/1.1 puts it on the wire, saying the connection closes.
    private static func serialized(_ head: HTTPResponse) -> [UInt8] {
        var text = "HTTP/1.1 \(head.status.code) \(head.status.reasonPhrase)\r\n"
        for field in head.headerFields where field.name != .connection {
            text += "\(field.name.rawName): \(field.value)\r\n"
        }
        text += "Connection: close\r\n\r\n"
        return Array(text.utf8)
    }

}

/// What a transport fault sent: the status (0 for no answer) and the body bytes that went out.
struct SentAnswer: Sendable {
    var status: Int
    var body: [UInt8]
}
