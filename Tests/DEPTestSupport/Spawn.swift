import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Starts and reaps programs with `posix_spawn`, for the tests' child processes.
///
/// Foundation's `Process.run` is not used: on Swift 6.3.1 it reads each `/proc/self/fd` entry's
/// whole 256-byte name, past the end of glibc's buffer, and crashes now and then in a suite that
/// holds many descriptors (swift-corelibs-foundation #5472).
enum Spawn {
    private typealias AddChdir =
        @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    /// glibc's `_np` file actions (2.29 and 2.34), which Swift's Glibc module does not declare.
    private static let addChdir = dlsym(nil, "posix_spawn_file_actions_addchdir_np").map {
        unsafeBitCast($0, to: AddChdir.self)
    }
    private static let addCloseFrom = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np").map {
        unsafeBitCast($0, to: AddCloseFrom.self)
    }

    /// A program that could not be started.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Starts `executable` with `arguments` and `environment` in `directory`, its standard input,
    /// output and error the files at those paths (output and error truncated); only those three
    /// descriptors are inherited. Returns its process id.
    static func start(
        _ executable: String, _ arguments: [String], environment: [String: String], directory: String,
        input: String, output: String, error: String
    ) throws -> pid_t {
        guard let addChdir, let addCloseFrom else {
            throw Failure(description: "glibc lacks posix_spawn's _np actions")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, input, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, error, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        _ = addCloseFrom(&actions, 3)
        _ = addChdir(&actions, directory)

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid = pid_t()
        let result = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard result == 0 else {
            throw Failure(description: "cannot start \(executable): \(String(cString: strerror(result)))")
        }
        return pid
    }

    /// Waits, on a thread of its own, for `pid` to end; its exit status, or 128 plus the signal
    /// that ended it.
    static func wait(for pid: pid_t) async -> Int32 {
        await withCheckedContinuation { continuation in
            OwnThread.run { continuation.resume(returning: waitBlocking(for: pid)) }
        }
    }

    /// Blocks the calling thread until `pid` ends; its exit status, or 128 plus the signal.
    static func waitBlocking(for pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let signal = status & 0x7F
        return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
    }
}
