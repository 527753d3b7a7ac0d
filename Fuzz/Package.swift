// swift-tools-version:6.2
import PackageDescription

/// FakeDEP's libFuzzer targets, one executable each, kept out of the main package so that its
/// build never sees the sanitizer flags. Built and run by `scripts/fuzz`:
/// `swift build -c release --package-path Fuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld`.
let package = Package(
    name: "FakeDEPFuzz",
    dependencies: [.package(name: "FakeDEP", path: "..")],
    targets: [
        // libFuzzer's driver entry point, from the toolchain's runtime.
        .systemLibrary(name: "CLibFuzzer"),
        .target(name: "FuzzSupport", dependencies: ["CLibFuzzer"]),
        .executableTarget(
            name: "FuzzPageReader", dependencies: ["FuzzSupport", .product(name: "DEPWire", package: "FakeDEP")]),
        .executableTarget(
            name: "FuzzPageDifferential", dependencies: ["FuzzSupport", .product(name: "DEPWire", package: "FakeDEP")]),
        .executableTarget(
            name: "FuzzModels", dependencies: ["FuzzSupport", .product(name: "DEPWire", package: "FakeDEP")]),
        .executableTarget(
            name: "FuzzAssignmentCSV", dependencies: ["FuzzSupport", .product(name: "DEPWire", package: "FakeDEP")]),
        .executableTarget(
            name: "FuzzOAuthHeader", dependencies: ["FuzzSupport", .product(name: "DEPWire", package: "FakeDEP")]),
        .executableTarget(
            name: "FuzzDates", dependencies: ["FuzzSupport", .product(name: "DEPWire", package: "FakeDEP")]),
        .executableTarget(
            name: "FuzzTokenMessage", dependencies: ["FuzzSupport", .product(name: "DEPWire", package: "FakeDEP")]),
        .executableTarget(
            name: "FuzzSMIME", dependencies: ["FuzzSupport", .product(name: "DEPWire", package: "FakeDEP")]),
        .executableTarget(
            name: "FuzzContentDisposition",
            dependencies: ["FuzzSupport", .product(name: "DEPWire", package: "FakeDEP")]),
        .executableTarget(
            name: "FuzzPropertyLists", dependencies: ["FuzzSupport", .product(name: "DEPWire", package: "FakeDEP")]),
        .executableTarget(
            name: "FuzzABMOAuth", dependencies: ["FuzzSupport", .product(name: "DEPWire", package: "FakeDEP")]),
        .executableTarget(
            name: "FuzzPEM", dependencies: ["FuzzSupport", .product(name: "DEPCrypto", package: "FakeDEP")]),
        .executableTarget(
            name: "FuzzDER", dependencies: ["FuzzSupport", .product(name: "DEPCrypto", package: "FakeDEP")]),
        .executableTarget(
            name: "FuzzCMS", dependencies: ["FuzzSupport", .product(name: "DEPCrypto", package: "FakeDEP")]),
    ]
)
