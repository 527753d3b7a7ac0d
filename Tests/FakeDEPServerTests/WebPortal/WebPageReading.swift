import DEPSync
import DEPTestServer
import Foundation
import Testing

/// An HTML page as a test reads it.
struct WebPageText {
    let status: Int
    let contentType: String?
    let html: String

    /// The serials of the device links on the page, in order (`…/web/devices/{serial}`).
    var deviceLinks: [String] { matches(#"/web/devices/([A-Z0-9]+)""#) }

    /// The target of the link with `rel="next"`, its `&amp;` read as `&`.
    var nextPage: String? { matches(#"<a href="([^"]*)" rel="next">"#).first.map(Self.unescaped) }

    /// The target of the link titled `title`, its `&amp;` read as `&`.
    func link(_ title: String) -> String? {
        matches(#"<a href="([^"]*)"[^>]*>"# + NSRegularExpression.escapedPattern(for: title) + "</a>").first
            .map(Self.unescaped)
    }

    /// The first capture group of every match of `pattern`.
    func matches(_ pattern: String) -> [String] {
        let expression = try! NSRegularExpression(pattern: pattern)
        return expression.matches(in: html, range: NSRange(html.startIndex..., in: html)).compactMap {
            Range($0.range(at: 1), in: html).map { String(html[$0]) }
        }
    }

    static func unescaped(_ text: String) -> String { text.replacingOccurrences(of: "&amp;", with: "&") }
}

extension TestServer {
    /// Fetches a page of the web portal.
    func page(_ path: String) async throws -> WebPageText {
        let response = try await send("GET", path)
        return WebPageText(status: response.status, contentType: response.header("Content-Type"), html: response.text)
    }

    /// Fetches a page that must answer 200 with HTML.
    func okPage(_ path: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> WebPageText {
        let page = try await page(path)
        #expect(page.status == 200, "\(path) answered \(page.status)", sourceLocation: sourceLocation)
        #expect(page.contentType?.hasPrefix("text/html") == true, sourceLocation: sourceLocation)
        #expect(page.html.components(separatedBy: "<h1").count == 2, "one h1", sourceLocation: sourceLocation)
        return page
    }

    /// Every serial the device list shows for `query`, following its "Next page" links.
    func listedSerials(_ query: String = "", prefix: String = "") async throws -> [String] {
        var serials: [String] = []
        var next: String? = prefix + "/web/devices" + (query.isEmpty ? "" : "?" + query)
        while let path = next {
            let page = try await okPage(path)
            serials += page.deviceLinks
            next = page.nextPage
        }
        return serials
    }
}
