public import DEPWire

/// A refusal of the ABM API, rendered as its `ErrorResponse` (peers §5.4): the HTTP status,
/// Apple's dotted code, a title and a detail for a person, and what in the request caused it.
public struct ABMError: Error, Hashable, Sendable, CustomStringConvertible {
    public var status: Int
    public var code: String
    public var title: String
    public var detail: String
    /// Where in the request the problem is: a JSON pointer into the body or a query parameter.
    public var source: ErrorResponse.Source?

    public init(status: Int, code: String, title: String, detail: String, source: ErrorResponse.Source? = nil) {
        self.status = status
        self.code = code
        self.title = title
        self.detail = detail
        self.source = source
    }

    public var description: String { "\(status) \(code): \(detail)" }

    /// 400 `PARAMETER_ERROR.INVALID`: a query parameter has a value the API does not take.
    static func invalidParameter(_ name: String, _ detail: String) -> ABMError {
        ABMError(
            status: 400, code: "PARAMETER_ERROR.INVALID", title: "A parameter has an invalid value.", detail: detail,
            source: .parameter(name))
    }

    /// 400 `PARAMETER_ERROR.REQUIRED`: a required query parameter is missing.
    static func missingParameter(_ name: String) -> ABMError {
        ABMError(
            status: 400, code: "PARAMETER_ERROR.REQUIRED", title: "A required parameter is missing.",
            detail: "The parameter \(name) is required.", source: .parameter(name))
    }

    /// 404 `NOT_FOUND`: no resource of this type has this id.
    static func notFound(_ type: String, _ id: String) -> ABMError {
        ABMError(
            status: 404, code: "NOT_FOUND", title: "The specified resource does not exist.",
            detail: "There is no resource of type '\(type)' with id '\(id)'.")
    }

    /// 409 `ENTITY_ERROR.ATTRIBUTE.INVALID`: a value of the body is not acceptable.
    static func invalidAttribute(_ pointer: String, _ detail: String) -> ABMError {
        ABMError(
            status: 409, code: "ENTITY_ERROR.ATTRIBUTE.INVALID", title: "An attribute value is invalid.",
            detail: detail, source: .pointer(pointer))
    }

    /// 409 `ENTITY_ERROR.RELATIONSHIP.INVALID`: a relationship names what does not exist.
    static func invalidRelationship(_ pointer: String, _ detail: String) -> ABMError {
        ABMError(
            status: 409, code: "ENTITY_ERROR.RELATIONSHIP.INVALID", title: "A relationship value is invalid.",
            detail: detail, source: .pointer(pointer))
    }

    /// 422 `ENTITY_UNPROCESSABLE`: the body is JSON but not the document this call takes.
    static func unprocessable(_ pointer: String, _ detail: String) -> ABMError {
        ABMError(
            status: 422, code: "ENTITY_UNPROCESSABLE", title: "The request entity is not processable.",
            detail: detail, source: .pointer(pointer))
    }
}
