#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension CloudConfiguration {
    /// The configuration as an XML property list (Apple's PropertyList-1.0 DTD), the form a
    /// device stores it in (dep-api §7.2): tab-indented, keys in alphabetical order,
    /// certificates as `<data>` in base64.
    ///
    /// Written by hand: the dictionary only holds strings, booleans, string arrays and data.
    /// Characters XML 1.0 cannot carry (C0 controls other than tab, newline and carriage return)
    /// become U+FFFD.
    public var propertyList: String {
        var text = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
            <plist version="1.0">

            """
        text += "<dict>\n"
        for (key, value) in entries {
            text += "\t<key>\(Self.escaped(key.rawValue))</key>\n"
            switch value {
            case .string(let string): text += "\t<string>\(Self.escaped(string))</string>\n"
            case .bool(let flag): text += flag ? "\t<true/>\n" : "\t<false/>\n"
            case .strings(let strings):
                text += Self.array(strings.map { "<string>\(Self.escaped($0))</string>" })
            case .data(let list):
                text += Self.array(list.map { "<data>\($0.base64EncodedString())</data>" })
            }
        }
        text += "</dict>\n</plist>\n"
        return text
    }

    /// The property list as UTF-8 bytes, for an HTTP body.
    public var propertyListBytes: [UInt8] { Array(propertyList.utf8) }

    /// An `<array>` of already-written elements, one a line; `<array/>` when empty.
    private static func array(_ elements: [String]) -> String {
        guard !elements.isEmpty else { return "\t<array/>\n" }
        return "\t<array>\n" + elements.map { "\t\t\($0)\n" }.joined() + "\t</array>\n"
    }

    /// `text` with the XML markup characters escaped.
    static func escaped(_ text: String) -> String {
        var output = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": output.append(contentsOf: "&amp;".unicodeScalars)
            case "<": output.append(contentsOf: "&lt;".unicodeScalars)
            case ">": output.append(contentsOf: "&gt;".unicodeScalars)
            case "\t", "\n", "\r": output.append(scalar)
            case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF:
                output.append("\u{FFFD}")
            default: output.append(scalar)
            }
        }
        return String(output)
    }
}
