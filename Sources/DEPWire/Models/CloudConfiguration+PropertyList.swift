extension CloudConfiguration {
    /// The configuration as an XML property list, the form a device stores it in (dep-api §7.2):
    /// keys in alphabetical order, certificates as `<data>`.
    public var propertyList: String {
        XMLPropertyList.dictionary(entries.map { (key: $0.rawValue, value: $1) })
    }

    /// The property list as UTF-8 bytes, for an HTTP body.
    public var propertyListBytes: [UInt8] { Array(propertyList.utf8) }
}
