import Foundation

/// A failed run of the `openssl` command, with what it printed on stderr.
struct OpenSSLCommandError: Error, CustomStringConvertible {
    let arguments: [String]
    let status: Int32
    let standardError: String

    var description: String {
        "openssl \(arguments.joined(separator: " ")) exited with \(status): \(standardError)"
    }
}

/// Runs the `openssl` command line tool in `directory` and returns what it wrote to stdout.
///
/// Waits on the process's termination handler rather than blocking a cooperative thread; output
/// goes to files so a chatty command cannot fill a pipe and stall.
@discardableResult
func openssl(_ arguments: [String], in directory: URL) async throws -> Data {
    let name = UUID().uuidString
    let standardOutput = directory.appendingPathComponent("\(name).stdout")
    let standardError = directory.appendingPathComponent("\(name).stderr")
    try Data().write(to: standardOutput)
    try Data().write(to: standardError)
    defer {
        try? FileManager.default.removeItem(at: standardOutput)
        try? FileManager.default.removeItem(at: standardError)
    }

    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["openssl"] + arguments
    process.currentDirectoryURL = directory
    process.standardInput = FileHandle.nullDevice
    let outputHandle = try FileHandle(forWritingTo: standardOutput)
    let errorHandle = try FileHandle(forWritingTo: standardError)
    defer {
        try? outputHandle.close()
        try? errorHandle.close()
    }
    process.standardOutput = outputHandle
    process.standardError = errorHandle

    let status: Int32 = try await withCheckedThrowingContinuation { continuation in
        process.terminationHandler = { finished in continuation.resume(returning: finished.terminationStatus) }
        do {
            try process.run()
        } catch {
            process.terminationHandler = nil
            continuation.resume(throwing: error)
        }
    }
    guard status == 0 else {
        let text = (try? String(contentsOf: standardError, encoding: .utf8)) ?? ""
        throw OpenSSLCommandError(arguments: arguments, status: status, standardError: text)
    }
    return try Data(contentsOf: standardOutput)
}

/// Runs `openssl` and returns its stdout as text.
func opensslText(_ arguments: [String], in directory: URL) async throws -> String {
    String(decoding: try await openssl(arguments, in: directory), as: UTF8.self)
}
