/// A gzip body that expands about a hundred and sixty times, made by hand at test time (nothing
/// large is committed): one deflate block with fixed Huffman codes (RFC 1951 §3.2.6) holding a
/// zero byte, then copies of 258 bytes at distance 1, 13 bits each.
///
/// Eight copies take 13 bytes, so past its first bytes the stream is one 13-byte period repeated,
/// which the service streams without building it. It has no end: like any bomb, it is meant to
/// be stopped before that.
enum GzipBomb {
    /// The gzip header and the deflate stream's first bytes (block header, the literal 0).
    static let head: [UInt8] = Array(stream.prefix(12))
    /// Eight copies of 258 bytes, repeated after `head` as often as wanted.
    static let period: [UInt8] = Array(stream[12..<25])
    /// What one `period` expands to.
    static let periodExpansion = 8 * 258

    /// The head and sixteen copies: enough to cut one whole period out of.
    private static let stream: [UInt8] = {
        var bits = BitWriter()
        bits.bytes = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF]  // gzip, deflate, no name, no time
        bits.write(1, count: 1)  // BFINAL
        bits.write(1, count: 2)  // BTYPE 01: fixed Huffman codes
        bits.writeCode(0b0011_0000, length: 8)  // the literal 0
        for _ in 0..<16 {
            bits.writeCode(0b1100_0101, length: 8)  // length code 285: 258 bytes
            bits.writeCode(0, length: 5)  // distance code 0: distance 1
        }
        return bits.bytes
    }()
}

/// Bits packed least significant first, as deflate wants them.
private struct BitWriter {
    var bytes: [UInt8] = []
    private var current: UInt8 = 0
    private var used = 0

    /// Writes the low `count` bits of `value`, least significant first (header fields).
    mutating func write(_ value: UInt32, count: Int) {
        for index in 0..<count { append(bit: (value >> index) & 1) }
    }

    /// Writes a Huffman code, most significant bit first.
    mutating func writeCode(_ code: UInt32, length: Int) {
        for index in (0..<length).reversed() { append(bit: (code >> index) & 1) }
    }

    private mutating func append(bit: UInt32) {
        current |= UInt8(bit) << used
        used += 1
        if used == 8 {
            bytes.append(current)
            current = 0
            used = 0
        }
    }
}
