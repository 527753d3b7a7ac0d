#if os(Linux)
    import Glibc
#endif

/// How glibc's allocator serves depsync, set before anything is allocated.
///
/// A full fetch is a few threads handing pages of about a megabyte to one another. By default
/// glibc gives each thread an arena of its own that keeps what was freed in it, and raises its
/// threshold for `mmap` to the size of the last large block freed, so pages end up in those
/// arenas too: about 5 MB of a 100,000-device sync's peak. Two arenas, and page-sized blocks
/// always mapped (and unmapped when freed), cost no measurable CPU (`scripts/benchmark-depsync`).
enum MallocTuning {
    static func apply() {
        #if os(Linux)
            // `mallopt` is declared in <malloc.h>, which the Glibc module leaves out.
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
            let mallopt = unsafeBitCast(symbol, to: (@convention(c) (CInt, CInt) -> CInt).self)
            _ = mallopt(arenaMax, 2)
            _ = mallopt(mmapThreshold, 256 << 10)
        #endif
    }

    // The options' numbers in <malloc.h>.
    private static let mmapThreshold: CInt = -3
    private static let arenaMax: CInt = -8
}
