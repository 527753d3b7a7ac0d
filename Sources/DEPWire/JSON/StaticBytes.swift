extension UnsafeBufferPointer<UInt8> {
    /// Whether these bytes are exactly `text`'s UTF-8. Compared buffer to buffer: walking a
    /// `String`'s UTF-8 view instead costs a call per byte, and this runs for fields of every
    /// device of every page.
    @inlinable
    public func holds(_ text: StaticString) -> Bool {
        count == text.utf8CodeUnitCount
            && elementsEqual(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }
}
