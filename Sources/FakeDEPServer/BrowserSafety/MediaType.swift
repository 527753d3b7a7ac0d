import Foundation

/// A `Content-Type`'s essence (`type/subtype`, lowercased, without parameters), and what a
/// browser may send of it without asking first.
struct MediaType: Equatable {
    let essence: String

    /// The essence of `contentType`; `nil` when there is none.
    init?(_ contentType: String?) {
        guard let contentType,
            let essence = contentType.split(separator: ";", omittingEmptySubsequences: false).first?
                .trimmingCharacters(in: .whitespaces).lowercased(),
            !essence.isEmpty
        else { return nil }
        self.essence = essence
    }

    /// `application/json`, or a structured `+json` type (`application/merge-patch+json`).
    var isJSON: Bool {
        essence == "application/json" || (essence.hasPrefix("application/") && essence.hasSuffix("+json"))
    }

    /// One of the three types the Fetch standard lets any page send cross-site without a CORS
    /// preflight (a form post, `fetch` with `text/plain`): such a request reaches the server
    /// whatever it answers to a preflight, so it can change state from someone else's page.
    var isCORSSafelisted: Bool {
        ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"].contains(essence)
    }
}
