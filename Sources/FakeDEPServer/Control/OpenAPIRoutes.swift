import Foundation
import Hummingbird
import NIOCore

/// `GET /_fakedep/openapi.json`: the OpenAPI 3.1 document of the control surface, served as it
/// is bundled (`Resources/ControlAPI/openapi.json`), for generating clients or driving a
/// schema-based tester against fakedep.
struct OpenAPIRoutes {
    func add(to control: RouterGroup<FakeDEPContext>) {
        control.get("openapi.json") { _, _ in
            guard let document = Self.document else {
                throw HTTPError(
                    .internalServerError, message: "The bundled OpenAPI document is missing; rebuild fakedep.")
            }
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(bytes: document)))
        }
    }

    /// The bundled document, read once: a file read on every request would block the pool.
    static let document: Data? = Bundle.module.url(
        forResource: "openapi", withExtension: "json", subdirectory: "ControlAPI"
    ).flatMap { try? Data(contentsOf: $0) }
}
