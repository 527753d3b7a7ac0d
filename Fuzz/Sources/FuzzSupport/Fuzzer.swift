import CLibFuzzer

#if canImport(Glibc)
    import Glibc
#endif

/// The body under test, set once before libFuzzer starts and only read after.
nonisolated(unsafe) private var body: ((FuzzInput) -> Void)?

/// Runs a fuzz target under libFuzzer.
///
/// SwiftPM links every executable with its module's entry point as `main`, so libFuzzer's own
/// `main` cannot be used: the target's top-level code calls `run`, which hands the command line
/// to `LLVMFuzzerRunDriver`.
public enum Fuzzer {
    /// Feeds every input libFuzzer makes to `test`, then exits with libFuzzer's status.
    public static func run(_ test: @escaping (FuzzInput) -> Void) -> Never {
        body = test
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        let status = withUnsafeMutablePointer(to: &argv) { argv in
            LLVMFuzzerRunDriver(&argc, argv) { data, count in
                body?(FuzzInput(UnsafeRawBufferPointer(start: data, count: count)))
                return 0
            }
        }
        exit(status)
    }

    /// Stops the run on a broken property: libFuzzer reports the abort as a crash and keeps the
    /// input that caused it. `scripts/fuzz` tells a disagreement from a crash by this line.
    public static func disagreement(_ message: String, file: StaticString = #fileID, line: UInt = #line) -> Never {
        let report = Array("==FUZZ DISAGREEMENT== \(file):\(line): \(message)\n".utf8)
        _ = report.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
        abort()
    }
}
