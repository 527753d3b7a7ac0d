/// A JSON value under construction that keeps object keys in the order they were written.
///
/// `JSONEncoder` on Linux writes keys in a different order on every run (STYLE.md, traps);
/// Apple's bodies have a fixed order (dep-api §3.2, §3.10), so our encoder builds this tree and
/// serialises it as written. Containers are boxes because `Encoder` hands out containers that
/// are filled after they are attached to their parent.
enum JSONNode {
    /// An already-serialised scalar: `null`, `true`, `42`, `"text"`.
    case scalar(String)
    case object(JSONObjectBox)
    case array(JSONArrayBox)

    /// Appends the serialised form of this node to `output`.
    func write(to output: inout String) {
        switch self {
        case .scalar(let text):
            output += text
        case .object(let box):
            output += "{"
            for (index, entry) in box.entries.enumerated() {
                if index > 0 { output += "," }
                JSONString.write(entry.key, to: &output)
                output += ":"
                entry.value.write(to: &output)
            }
            output += "}"
        case .array(let box):
            output += "["
            for (index, item) in box.items.enumerated() {
                if index > 0 { output += "," }
                item.write(to: &output)
            }
            output += "]"
        }
    }
}

/// The entries of a JSON object, in insertion order; writing a key twice replaces its value.
final class JSONObjectBox {
    private(set) var entries: [(key: String, value: JSONNode)] = []

    func set(_ key: String, _ value: JSONNode) {
        if let index = entries.lastIndex(where: { $0.key == key }) {
            entries[index].value = value
        } else {
            entries.append((key, value))
        }
    }
}

/// The items of a JSON array.
final class JSONArrayBox {
    var items: [JSONNode] = []
}

/// JSON string literals as Apple writes them: UTF-8 kept as is, `/` not escaped.
enum JSONString {
    /// Appends `text` as a quoted, escaped JSON string literal.
    static func write(_ text: String, to output: inout String) {
        output += "\""
        var needsEscaping = false
        for byte in text.utf8 where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
            needsEscaping = true
            break
        }
        guard needsEscaping else {
            output += text
            output += "\""
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16, uppercase: false)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
    }

    /// `text` as a quoted, escaped JSON string literal.
    static func literal(_ text: String) -> String {
        var output = ""
        write(text, to: &output)
        return output
    }
}
