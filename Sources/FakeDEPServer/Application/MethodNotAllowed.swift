import Hummingbird

extension Router {
    /// Answers `405 Method Not Allowed` (empty body, as Apple's old reference describes) for
    /// every method of `path` that `allowed` does not list; Hummingbird alone would answer 404.
    func refuseOtherMethods(_ path: RouterPath, allowed: [HTTPRequest.Method]) {
        let all: [HTTPRequest.Method] = [.get, .post, .put, .delete, .patch, .head, .options]
        for method in all where !allowed.contains(method) {
            on(path, method: method) { _, _ -> Response in
                Response(status: .methodNotAllowed, headers: [.allow: allowed.map(\.rawValue).joined(separator: ", ")])
            }
        }
    }
}
