/// Where in a JSON body decoding failed, as a JSON path (`$.devices[2]`), and what was wrong.
enum JSONPath {
    static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        switch error {
        case .typeMismatch(let type, let context):
            return "at \(path(context.codingPath)): expected \(name(of: type))"
        case .valueNotFound(let type, let context):
            return "at \(path(context.codingPath)): expected \(name(of: type)), found null"
        case .keyNotFound(let key, let context):
            return "at \(path(context.codingPath)): \"\(key.stringValue)\" is missing"
        case .dataCorrupted(let context):
            return "at \(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    /// `$`, then `.name` for keys and `[n]` for array positions.
    static func path(_ codingPath: [any CodingKey]) -> String {
        "$" + codingPath.map { key in key.intValue.map { "[\($0)]" } ?? ".\(key.stringValue)" }.joined()
    }

    private static func name(of type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Double.Type: "a number"
        case is Bool.Type: "true or false"
        default: "\(type)"
        }
    }
}
