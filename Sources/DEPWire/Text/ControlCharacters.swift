/// Control characters in text that crosses a boundary: identifiers refused at the edge (an
/// embedded NUL would cut a string bound to SQL), and text shown on a terminal escaped (a name
/// such as `"\u{1B}[2J"` must not clear the screen).
extension StringProtocol {
    /// Whether the text holds a C0 control (U+0000–U+001F), DEL or a C1 control (U+0080–U+009F).
    public var containsControlCharacters: Bool {
        unicodeScalars.contains(where: \.isControlCharacter)
    }

    /// The text with every control character written as a visible escape (`\0`, `\t`, `\n`,
    /// `\r`, `\e`, otherwise `\u{XX}`), and the backslash itself left alone: safe to print on a
    /// terminal, and readable.
    public var escapingControlCharacters: String {
        guard containsControlCharacters else { return String(self) }
        var escaped = ""
        for scalar in unicodeScalars {
            guard scalar.isControlCharacter else {
                escaped.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "\0": escaped += "\\0"
            case "\t": escaped += "\\t"
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\u{1B}": escaped += "\\e"
            default: escaped += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            }
        }
        return escaped
    }
}

extension Unicode.Scalar {
    /// C0 controls, DEL and C1 controls: the scalars a terminal or a C string treats as commands.
    var isControlCharacter: Bool {
        value < 0x20 || (0x7F...0x9F).contains(value)
    }
}
