/// The `Content-Disposition` of the token download (RFC 6266): the file name the portal
/// suggests, safe in an HTTP header whatever the server is called.
///
/// A header carries ASCII only, and a quoted string ends at the first `"`, so the name goes
/// twice: `filename="…"` with every character outside printable ASCII, `"` and `\` as `_`, for
/// old clients, and `filename*=UTF-8''…` percent-encoded (RFC 8187), which clients prefer.
public enum ContentDisposition {
    /// `attachment` with `fileName` in both forms.
    public static func attachment(fileName: String) -> String {
        let fallback = String(
            String.UnicodeScalarView(
                fileName.unicodeScalars.map { scalar in
                    (0x20..<0x7F).contains(scalar.value) && scalar != "\"" && scalar != "\\" ? scalar : "_"
                }))
        return "attachment; filename=\"\(fallback)\"; filename*=UTF-8''\(PercentEncoding.encode(fileName))"
    }

    /// The file name a `Content-Disposition` value suggests: `filename*` in UTF-8 when present
    /// and readable, else `filename` (quoted, with `\` escapes, or a bare token); `nil` for none.
    public static func fileName(from header: String) -> String? {
        var plain: String?
        for parameter in parameters(header) {
            switch parameter.name.lowercased() {
            case "filename*":
                let prefix = "utf-8''"
                guard parameter.value.lowercased().hasPrefix(prefix),
                    let name = PercentEncoding.decode(parameter.value.dropFirst(prefix.count)), !name.isEmpty
                else { continue }
                return name
            case "filename" where !parameter.value.isEmpty:
                plain = parameter.value
            default: continue
            }
        }
        return plain
    }

    /// The `name=value` parameters after the disposition type, quoted strings unquoted.
    private static func parameters(_ header: String) -> [(name: String, value: String)] {
        var result: [(name: String, value: String)] = []
        var rest = Substring(header)
        // Skip the disposition type.
        guard let firstSemicolon = rest.firstIndex(of: ";") else { return [] }
        rest = rest[rest.index(after: firstSemicolon)...]
        while !rest.isEmpty {
            rest = rest.drop { $0 == " " || $0 == "\t" }
            guard let equals = rest.firstIndex(of: "=") else { break }
            let name = rest[..<equals].trimmingSpaces()
            rest = rest[rest.index(after: equals)...].drop { $0 == " " || $0 == "\t" }
            var value = ""
            if rest.first == "\"" {
                rest = rest.dropFirst()
                var escaped = false
                while let character = rest.first {
                    rest = rest.dropFirst()
                    if escaped {
                        value.append(character)
                        escaped = false
                    } else if character == "\\" {
                        escaped = true
                    } else if character == "\"" {
                        break
                    } else {
                        value.append(character)
                    }
                }
                rest = rest.drop { $0 != ";" }
            } else {
                let end = rest.firstIndex(of: ";") ?? rest.endIndex
                value = String(rest[..<end].trimmingSpaces())
                rest = rest[end...]
            }
            result.append((String(name), value))
            rest = rest.drop { $0 == ";" }
        }
        return result
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> Substring {
        var text = self
        while let first = text.first, first == " " || first == "\t" { text.removeFirst() }
        while let last = text.last, last == " " || last == "\t" { text.removeLast() }
        return text
    }
}
