import DEPWire
import Foundation
import HTTPTypes
import Hummingbird

/// The parts of the web portal, as its navigation lists them.
enum WebSection: String, CaseIterable {
    case overview, servers, devices, assign, configurator, apiAccounts, control

    var title: String {
        switch self {
        case .overview: "Overview"
        case .servers: "MDM servers"
        case .devices: "Devices"
        case .assign: "Assign"
        case .configurator: "Apple Configurator"
        case .apiAccounts: "API accounts"
        case .control: "Test control"
        }
    }

    /// Its path under a world's pages.
    var path: String {
        switch self {
        case .overview: "/web/"
        case .servers: "/web/servers"
        case .devices: "/web/devices"
        case .assign: "/web/assign"
        case .configurator: "/web/configurator"
        case .apiAccounts: "/web/api-accounts"
        case .control: "/web/control"
        }
    }
}

/// One page as its template sees it: the frame every page shares (navigation, the world and its
/// clock) around the page's own `content`.
struct WebPage {
    struct Link {
        let title: String
        let href: String
        let current: Bool
    }

    let title: String
    /// Where this world's pages live: `""` for the default world.
    let base: String
    /// Where this world's JSON routes live (`/_fakedep/worlds/{id}` for every world), for scripts.
    let worldPrefix: String
    let worldID: String
    let worldName: String
    let isDefaultWorld: Bool
    /// Whether the browser signed in with the server's admin token, and may sign out.
    let isSignedIn: Bool
    /// The world's time, as the pages show it.
    let now: String
    let nav: [Link]
    let content: Any

    /// The page rendered as an HTML answer.
    static func response(
        _ template: String, title: String, section: WebSection, content: Any, context: FakeDEPContext,
        worlds: WorldRegistry, status: HTTPResponse.Status = .ok
    ) throws -> Response {
        let world = try context.world
        let base = context.webBase ?? ""
        let id = worldID(context)
        let page = WebPage(
            title: title, base: base, worldPrefix: WorldPath.prefix + id, worldID: id,
            worldName: (try? worlds.summary(id).name) ?? id, isDefaultWorld: base.isEmpty,
            isSignedIn: context.isSignedIn,
            now: WebFormat.time(world.clock.now),
            nav: WebSection.allCases.map { Link(title: $0.title, href: base + $0.path, current: $0 == section) },
            content: content)
        return html(WebTemplates.render(template, page), status: status)
    }

    /// The id of the world whose pages `context` is for.
    static func worldID(_ context: FakeDEPContext) -> String {
        let base = context.webBase ?? ""
        return base.isEmpty ? WorldRegistry.defaultID : String(base.dropFirst(WorldPath.prefix.count))
    }

    /// `text` as an HTML answer that runs only our own scripts and styles and is never cached.
    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [
                .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                .contentSecurityPolicy:
                    "default-src 'self'; img-src 'self' data: blob:; script-src 'self'; style-src 'self'; "
                    + "form-action 'self'; frame-ancestors 'none'",
                .xContentTypeOptions: "nosniff",
                HTTPField.Name("Referrer-Policy")!: "same-origin",
            ],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

/// How the pages write values.
enum WebFormat {
    /// `2026-12-05 11:42 UTC`.
    static func time(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(
            format: "%04d-%02d-%02d %02d:%02d UTC", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0, parts.hour ?? 0,
            parts.minute ?? 0)
    }

    /// `2026-12-05 11:42:07 UTC`, for what happens within a minute (a journal's requests).
    static func moment(_ date: Date) -> String {
        let second = (Int(date.timeIntervalSince1970.rounded(.down)) % 60 + 60) % 60
        return String(time(date).dropLast(4)) + String(format: ":%02d UTC", second)
    }

    /// `3 days 4 h 5 min 6 s`, or `0 s`: a span of time as a person reads it.
    static func span(_ seconds: TimeInterval) -> String {
        let total = Int(seconds.magnitude.rounded())
        let parts = [
            (total / 86_400, total / 86_400 == 1 ? " day" : " days"), (total / 3600 % 24, " h"),
            (total / 60 % 60, " min"), (total % 60, " s"),
        ]
        let words = parts.filter { $0.0 > 0 }.map { "\(count($0.0))\($0.1)" }
        return (seconds < 0 ? "-" : "") + (words.isEmpty ? "0 s" : words.joined(separator: " "))
    }

    /// `2026-12-05`.
    static func day(_ date: Date) -> String { String(time(date).prefix(10)) }

    /// `2027-01-04 (12 days left)`, or `(ended)` once `now` is past it.
    static func deadline(_ date: Date, now: Date) -> String {
        let days = Int((date.timeIntervalSince(now) / 86_400).rounded(.up))
        return day(date) + (days > 0 ? " (\(days) day\(days == 1 ? "" : "s") left)" : " (ended)")
    }

    /// `1,234,567`.
    static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { grouped.append(",") }
            grouped.append(digit)
        }
        return (value < 0 ? "-" : "") + grouped
    }

    /// `text` escaped for one segment of a URL path or a query value.
    static func segment(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlUnreservedCharacters) ?? text
    }
}

extension CharacterSet {
    /// RFC 3986's unreserved characters: what a path segment or query value keeps as is.
    static let urlUnreservedCharacters = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}
