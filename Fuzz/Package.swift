// swift-tools-version:6.2
import PackageDescription

/// A libFuzzer target: an executable whose top-level code hands one parser to `Fuzzer.run`.
func fuzzTarget(_ name: String, of library: String) -> Target {
    .executableTarget(name: name, dependencies: ["FuzzSupport", .product(name: library, package: "FakeDEP")])
}

/// FakeDEP's libFuzzer targets, kept out of the main package so that its build never sees the
/// sanitizer flags. `scripts/fuzz` builds them with
/// `swift build -c release --package-path Fuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld`
/// and runs them on the seed corpus in `Corpus/<target>/`.
let package = Package(
    name: "FakeDEPFuzz",
    dependencies: [.package(name: "FakeDEP", path: "..")],
    targets: [
        // libFuzzer's driver entry point, from the toolchain's runtime.
        .systemLibrary(name: "CLibFuzzer"),
        .target(name: "FuzzSupport", dependencies: ["CLibFuzzer"]),

        fuzzTarget("FuzzPageReader", of: "DEPWire"),
        fuzzTarget("FuzzPageDifferential", of: "DEPWire"),
        fuzzTarget("FuzzModels", of: "DEPWire"),
        fuzzTarget("FuzzAssignmentCSV", of: "DEPWire"),
        fuzzTarget("FuzzOAuthHeader", of: "DEPWire"),
        fuzzTarget("FuzzDates", of: "DEPWire"),
        fuzzTarget("FuzzTokenMessage", of: "DEPWire"),
        fuzzTarget("FuzzSMIME", of: "DEPWire"),
        fuzzTarget("FuzzContentDisposition", of: "DEPWire"),
        fuzzTarget("FuzzPropertyLists", of: "DEPWire"),
        fuzzTarget("FuzzABMOAuth", of: "DEPWire"),
        fuzzTarget("FuzzCursor", of: "DEPWire"),
        fuzzTarget("FuzzPEM", of: "DEPCrypto"),
        fuzzTarget("FuzzDER", of: "DEPCrypto"),
        fuzzTarget("FuzzCMS", of: "DEPCrypto"),
    ]
)
