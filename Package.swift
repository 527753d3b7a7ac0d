// swift-tools-version:6.2
import PackageDescription

/// Settings every Swift target of ours shares: Swift 6 mode with the upcoming features the
/// Hummingbird codebase enables, and warnings as errors (deprecations stay warnings).
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .treatAllWarnings(as: .error),
    .treatWarning("DeprecatedDeclaration", as: .warning),
]

let package = Package(
    name: "FakeDEP",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "DEPWire", targets: ["DEPWire"]),
        .library(name: "DEPCrypto", targets: ["DEPCrypto"]),
        .library(name: "FakeDEPServer", targets: ["FakeDEPServer"]),
        .library(name: "DEPSync", targets: ["DEPSync"]),
        .library(name: "DEPDevice", targets: ["DEPDevice"]),
        .library(name: "FakeDEPTesting", targets: ["FakeDEPTesting"]),
        .executable(name: "fakedep", targets: ["fakedep"]),
        .executable(name: "depsync", targets: ["depsync"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
    ],
    targets: [
        // C modules: a module map and a shim header each, no logic.
        .systemLibrary(name: "COpenSSL", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CCurl", providers: [.apt(["libcurl4-openssl-dev"])]),

        // Shared, pure wire codecs (no I/O, no C).
        .target(name: "DEPWire", swiftSettings: swiftSettings),
        // OpenSSL: keys, certificates, CMS EnvelopedData for the server token.
        .target(name: "DEPCrypto", dependencies: ["COpenSSL"], swiftSettings: swiftSettings),

        // The fake Apple side.
        .target(
            name: "FakeDEPServer",
            dependencies: [
                "DEPWire", "DEPCrypto",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                // HTTPS with a certificate of fakedep's own authority or the user's (`serve --tls`).
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
                // SQLite's column readers, for pages written straight from a statement's row.
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            resources: [.copy("Resources/MockData"), .copy("Resources/OpenAPI"), .copy("Resources/Web")],
            swiftSettings: swiftSettings
        ),
        // The MDM-side sync agent.
        .target(
            name: "DEPSync",
            dependencies: [
                "DEPWire", "DEPCrypto", "CCurl",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        // A simulated device's own side of enrollment with an MDM, as Setup Assistant does it,
        // over the agent's libcurl transport.
        .target(name: "DEPDevice", dependencies: ["DEPWire", "DEPCrypto", "DEPSync"], swiftSettings: swiftSettings),

        // For Swift users' tests: a fakedep in-process on a free port, a world per test, the journal.
        .target(
            name: "FakeDEPTesting",
            dependencies: [
                "FakeDEPServer",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),

        .executableTarget(
            name: "fakedep",
            dependencies: [
                "FakeDEPServer", "DEPDevice", "DEPSync", "DEPWire", "DEPCrypto",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "depsync",
            dependencies: [
                "DEPSync", "DEPWire",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // What several test targets share: the repository's paths, the schema validator.
        .target(name: "DEPTestSupport", path: "Tests/DEPTestSupport", swiftSettings: swiftSettings),
        .testTarget(
            name: "DEPWireTests",
            dependencies: ["DEPWire", "DEPTestSupport"],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DEPCryptoTests", dependencies: ["DEPCrypto", "DEPWire", "DEPTestSupport"],
            swiftSettings: swiftSettings
        ),
        // A real fakedep on a free loopback port, and an MDM's enrollment endpoint over TLS, for
        // the tests of every side.
        .target(
            name: "DEPTestServer",
            dependencies: [
                "FakeDEPServer", "FakeDEPTesting", "DEPSync", "DEPWire", "DEPCrypto",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/DEPTestServer",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FakeDEPServerTests",
            dependencies: [
                "FakeDEPServer", "FakeDEPTesting", "DEPSync", "DEPWire", "DEPCrypto", "DEPTestSupport", "DEPTestServer",
                // The route list of the server's router, to hold its OpenAPI document to it.
                .product(name: "Hummingbird", package: "hummingbird"),
                // The golden pages give a few devices values only the store can set.
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FakeDEPTestingTests",
            dependencies: ["FakeDEPTesting", "FakeDEPServer", "DEPSync", "DEPWire", "DEPCrypto"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DEPSyncTests",
            dependencies: [
                "DEPSync", "DEPWire", "DEPCrypto", "FakeDEPServer", "DEPTestSupport", "DEPTestServer",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DEPDeviceTests",
            dependencies: ["DEPDevice", "DEPWire", "DEPCrypto", "DEPTestSupport", "DEPTestServer"],
            swiftSettings: swiftSettings
        ),
    ]
)
