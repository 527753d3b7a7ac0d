import Foundation
import Hummingbird
import NIOCore

/// `GET /_fakedep/openapi.json`: the OpenAPI 3.1 document of every surface (`OpenAPIDocument`),
/// for generating clients or driving a schema-based tester against fakedep.
struct OpenAPIRoutes {
    func add(to control: RouterGroup<FakeDEPContext>) {
        control.get("openapi.json") { _, _ in
            let document: Data
            do { document = try OpenAPIDocument.served.get() } catch {
                throw HTTPError(.internalServerError, message: "The OpenAPI document cannot be made: \(error)")
            }
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(bytes: document)))
        }
    }
}
