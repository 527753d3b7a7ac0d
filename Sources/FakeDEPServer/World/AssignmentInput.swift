import DEPWire
public import Foundation

/// The lines a portal action acts on: serials typed in or sent as JSON, or a CSV upload kept in
/// a file until its transaction reads it.
public enum AssignmentInput: Sendable {
    case serials([String])
    /// A bulk-assignment CSV file (``AssignmentCSVReader``'s format), read 1 MiB at a time.
    case csvFile(URL)

    /// The most lines one action takes; more is `413 TOO_LARGE` (say so before changing anything).
    public static let maximumLines = 2_000_000

    /// How many lines go to the batch at once: enough to amortise a statement, few enough that
    /// neither Swift nor SQLite's JSON reader holds much.
    static let chunkSize = 10_000

    /// Hands the lines over in chunks of at most ``chunkSize``, in order; throws `TOO_LARGE` past
    /// ``maximumLines``. Blocking file reads: call it on the store's queue, never the pool.
    func forEachChunk(_ body: ([AssignmentCSVLine]) throws -> Void) throws {
        switch self {
        case .serials(let serials):
            guard !serials.isEmpty else {
                throw PortalError(.invalidRequest, "Name at least one serial number.")
            }
            guard serials.count <= Self.maximumLines else { throw Self.tooLarge }
            var start = 0
            while start < serials.count {
                let end = min(start + Self.chunkSize, serials.count)
                try body(World.lines(serials[start..<end], firstLine: start + 1))
                start = end
            }
        case .csvFile(let url):
            let file = try FileHandle(forReadingFrom: url)
            defer { try? file.close() }
            var reader = AssignmentCSVReader()
            var pending: [AssignmentCSVLine] = []
            var count = 0
            func hand(_ lines: [AssignmentCSVLine], force: Bool) throws {
                pending += lines
                count += lines.count
                guard count <= Self.maximumLines else { throw Self.tooLarge }
                if pending.count >= Self.chunkSize || (force && !pending.isEmpty) {
                    try body(pending)
                    pending.removeAll(keepingCapacity: true)
                }
            }
            while let data = try file.read(upToCount: 1 << 20), !data.isEmpty {
                try hand(reader.feed(data), force: false)
            }
            try hand(reader.finish(), force: true)
            guard count > 0 else {
                throw PortalError(
                    .invalidRequest,
                    "The file names no devices: it is empty or holds only its header. Put one serial number on each line."
                )
            }
        }
    }

    static var tooLarge: PortalError {
        PortalError(.tooLarge, "An action may list at most \(maximumLines) devices; split the file.")
    }
}
