#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// One value of a flat property-list dictionary: what Apple's device-side dictionaries hold
/// (the cloud configuration of dep-api §7.2, a device's MachineInfo of §7.4).
enum PropertyListValue {
    case string(String)
    case bool(Bool)
    case strings([String])
    case data([Data])
}

/// Writes XML property lists (Apple's PropertyList-1.0 DTD) as Apple's writer does: tab
/// indentation, keys in the order given, data as base64.
///
/// Written by hand because the bytes matter and the dictionaries are flat. Characters XML 1.0
/// cannot carry (C0 controls other than tab, newline and carriage return) become U+FFFD.
enum XMLPropertyList {
    /// A whole document holding one dictionary of `entries`.
    static func dictionary(_ entries: [(key: String, value: PropertyListValue)]) -> String {
        var text = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
            <plist version="1.0">

            """
        text += "<dict>\n"
        for (key, value) in entries {
            text += "\t<key>\(escaped(key))</key>\n"
            switch value {
            case .string(let string): text += "\t<string>\(escaped(string))</string>\n"
            case .bool(let flag): text += flag ? "\t<true/>\n" : "\t<false/>\n"
            case .strings(let strings): text += array(strings.map { "<string>\(escaped($0))</string>" })
            case .data(let list): text += array(list.map { "<data>\($0.base64EncodedString())</data>" })
            }
        }
        text += "</dict>\n</plist>\n"
        return text
    }

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
