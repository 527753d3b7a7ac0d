import DEPWire
import Foundation

/// How the ABM API pages a list: `limit` (1 to 1000, 100 by default) and an opaque keyset
/// cursor, base64url of the list's name and the last key of the page before.
public struct ABMPaging: Sendable, Hashable {
    public static let defaultLimit = 100
    public static let maximumLimit = 1000

    public var limit: Int
    /// The key after which the page starts; `nil` for the first page.
    var after: String?

    /// Reads the `limit` and `cursor` parameters of a list named `list`; 400
    /// `PARAMETER_ERROR.INVALID` for a limit that is not 1 to 1000 or a cursor not of this list.
    public init(limit: String?, cursor: String?, list: String) throws {
        if let limit {
            guard let value = Int(limit), (1...Self.maximumLimit).contains(value) else {
                throw ABMError.invalidParameter(
                    "limit", "The limit must be a whole number from 1 to \(Self.maximumLimit), not '\(limit)'.")
            }
            self.limit = value
        } else {
            self.limit = Self.defaultLimit
        }
        if let cursor {
            guard let key = Self.key(of: cursor, list: list) else {
                throw ABMError.invalidParameter("cursor", "The cursor '\(cursor)' is not one this list gave out.")
            }
            after = key
        }
    }

    /// The cursor that continues `list` after `key`.
    static func cursor(after key: String, list: String) -> String {
        Data((list + ":" + key).utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    private static func key(of cursor: String, list: String) -> String? {
        var base64 = cursor.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8),
            text.hasPrefix(list + ":")
        else { return nil }
        return String(text.dropFirst(list.count + 1))
    }
}

/// One page of an ABM list: the items, and the cursor of the next page while there is one.
public struct ABMPage<Item: Sendable>: Sendable {
    public var items: [Item]
    public var nextCursor: String?
}
