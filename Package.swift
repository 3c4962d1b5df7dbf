// swift-tools-version: 6.0
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "credfolio",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "credfolio", targets: ["credfolio"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // Hashes and signatures for badges; on Linux it uses FoundationEssentials, never full Foundation.
        .package(url: "https://github.com/apple/swift-crypto", from: "4.0.0"),
    ],
    targets: [
        // Debian's libsqlite3-dev, reached through pkg-config.
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"]), .brew(["sqlite3"])]
        ),
        // COIN-OR CBC's C interface (Debian's coinor-libcbc-dev), for its types:
        // the library itself is opened with dlopen when a command plans.
        .systemLibrary(name: "CCbc", providers: [.apt(["coinor-libcbc-dev"])]),
        // libpq's C interface (Debian's libpq-dev), for its types: the library itself is opened with dlopen
        // when a command first uses a PostgreSQL database, so SQLite users never load it (no pkg-config -lpq).
        .systemLibrary(name: "CPQ", providers: [.apt(["libpq-dev"])]),
        // O_TMPFILE, linkat and async-signal-safe clean-up: a few lines of C.
        .target(name: "CPosix"),
        // The SQL migrations of each engine (Schema/sqlite/, Schema/postgres/), embedded in the binary as bytes.
        .target(
            name: "CredfolioSchema",
            path: "Schema",
            resources: [.embedInCode("sqlite/v0001_initial.sql"), .embedInCode("sqlite/v0002_badges.sql"),
                        .embedInCode("sqlite/v0003_goals.sql"), .embedInCode("sqlite/v0004_issuer_keys.sql"),
                        .embedInCode("sqlite/v0005_unknown_measures.sql"), .embedInCode("sqlite/v0006_ctdl_catalog.sql"),
                        .embedInCode("sqlite/v0007_registry_ctid.sql"),
                        .embedInCode("postgres/p0001_initial.sql"), .embedInCode("postgres/team.sql")],
            swiftSettings: strict
        ),
        // Value types, dates, money, limits, stack definitions, CSV and JSON: no file descriptors, no database.
        .target(name: "CredfolioCore", swiftSettings: strict),
        // The process's own input and output: threads, and work done in parallel in order.
        .target(name: "CredfolioSystem", dependencies: ["CredfolioCore", "CPosix"], swiftSettings: strict),
        // What the two engines' wrappers share: values, rows, and the connection the store talks to.
        .target(name: "CredfolioSQL", dependencies: ["CredfolioCore"], swiftSettings: strict),
        // Our thin SQLite wrapper: connections, statements, values, errors, transactions.
        .target(name: "CredfolioSQLite", dependencies: ["CSQLite", "CredfolioCore", "CredfolioSQL"], swiftSettings: strict),
        // Our thin libpq wrapper: connections, statements with parameters, errors with their SQLSTATE.
        .target(name: "CredfolioPostgres", dependencies: ["CPQ", "CredfolioCore", "CredfolioSystem", "CredfolioSQL"],
                swiftSettings: strict),
        // Migrations and repositories: SQL only, knowing neither the engine nor badges.
        .target(
            name: "CredfolioStore",
            dependencies: ["CredfolioSQL", "CredfolioSQLite", "CredfolioPostgres", "CredfolioSchema", "CredfolioCore", "CredfolioSystem",
                           "CPosix"],
            swiftSettings: strict
        ),
        // Stacks and progress on plain values: its tests need no database.
        .target(name: "CredfolioEngine", dependencies: ["CredfolioCore"], swiftSettings: strict),
        // The one adapter from the engine's linear programs to CBC's C API.
        .target(name: "CredfolioCBC", dependencies: ["CCbc", "CredfolioCore", "CredfolioSystem", "CredfolioEngine"], swiftSettings: strict),
        // Open Badges 2.0 / 3.0 and CLR 2.0, read from JSON, JWS, PNG and SVG: plain values.
        .target(
            name: "CredfolioBadges",
            dependencies: [
                "CredfolioCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        // CTDL: the Credential Engine Registry's JSON-LD, read as one graph; pure, like the badges.
        .target(name: "CredfolioCTDL", dependencies: ["CredfolioCore"], swiftSettings: strict),
        // The application: portfolios and their rules (standing, lapses, goals, cohort rows), badges and the
        // CLR, CTDL catalogs, stack imports, doctor's checks of the rules; plans take their solver from the caller.
        .target(name: "CredfolioApp", dependencies: ["CredfolioCore", "CredfolioSystem", "CredfolioEngine", "CredfolioStore",
                                                     "CredfolioBadges", "CredfolioCTDL"],
                swiftSettings: strict),
        // HTML: the writer around one escaping function, the portfolio page, the cohort's site.
        .target(name: "CredfolioHTML", dependencies: ["CredfolioCore", "CredfolioSystem", "CredfolioEngine", "CredfolioStore", "CredfolioApp"],
                swiftSettings: strict),
        // The command line: commands and formatting only.
        .target(
            name: "CredfolioCLI",
            dependencies: [
                "CredfolioCore", "CredfolioStore", "CredfolioEngine", "CredfolioCBC", "CredfolioBadges", "CredfolioApp",
                "CredfolioSystem", "CredfolioHTML",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(name: "credfolio", dependencies: ["CredfolioCLI"], swiftSettings: strict),
        // What the test targets share: temporary folders, the command-line runner, seeded random worlds and
        // the engine's brute-force reference, badge fixtures. A test target, so only `swift test` builds it.
        .testTarget(
            name: "CredfolioTestSupport",
            dependencies: [
                "CredfolioCore", "CredfolioSystem", "CredfolioSQLite", "CredfolioStore", "CredfolioEngine", "CredfolioCBC",
                "CredfolioBadges", "CredfolioApp", "CredfolioHTML", "CredfolioCLI", "CSQLite", "CredfolioPostgres", "CredfolioSQL",
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        // Values, days, money, CSV and JSON.
        .testTarget(
            name: "CredfolioCoreTests",
            dependencies: [
                "CredfolioTestSupport", "CredfolioCore", "CredfolioSystem"
            ],
            swiftSettings: strict
        ),
        // The wrapper, migrations, repositories, imports and exports.
        .testTarget(
            name: "CredfolioStoreTests",
            dependencies: [
                "CredfolioTestSupport", "CredfolioCore", "CredfolioSystem", "CredfolioSQLite", "CredfolioStore", "CredfolioApp", "CSQLite"
            ],
            swiftSettings: strict
        ),
        // The engine against a brute-force reference on random worlds, with CBC.
        .testTarget(
            name: "CredfolioEngineTests",
            dependencies: [
                "CredfolioTestSupport", "CredfolioCore", "CredfolioEngine", "CredfolioCBC"
            ],
            swiftSettings: strict
        ),
        // Open Badges and CLR: reading, verifying, keeping, and the published examples.
        .testTarget(
            name: "CredfolioBadgesTests",
            dependencies: [
                "CredfolioTestSupport", "CredfolioCore", "CredfolioSystem", "CredfolioStore", "CredfolioBadges", "CredfolioApp",
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        // The libpq wrapper against a real server: the throwaway cluster Scripts/test starts.
        .testTarget(name: "CredfolioPostgresTests", dependencies: ["CredfolioPostgres", "CredfolioStore", "CredfolioSchema", "CredfolioCore"],
                    swiftSettings: strict),
        // CTDL documents read as one graph, their values, and the published records.
        .testTarget(name: "CredfolioCTDLTests", dependencies: ["CredfolioCTDL", "CredfolioCore"], swiftSettings: strict),
        // The HTML writer, the pages and the site.
        .testTarget(
            name: "CredfolioHTMLTests",
            dependencies: [
                "CredfolioTestSupport", "CredfolioCore", "CredfolioSystem", "CredfolioStore", "CredfolioEngine", "CredfolioCBC", "CredfolioBadges",
                "CredfolioApp", "CredfolioHTML", "CredfolioCLI",
            ],
            swiftSettings: strict
        ),
        // The command line's row writers and its parallel report, in process.
        .testTarget(
            name: "CredfolioCLITests",
            dependencies: [
                "CredfolioTestSupport", "CredfolioCore", "CredfolioSystem", "CredfolioStore", "CredfolioEngine", "CredfolioCBC", "CredfolioApp",
                "CredfolioCLI",
            ],
            swiftSettings: strict
        ),
        // The executable, run as a user runs it: commands, golden files, concurrency, crashes, a browser.
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "CredfolioTestSupport", "CredfolioCore", "CredfolioSystem", "CredfolioSQLite", "CredfolioStore", "CredfolioEngine", "CredfolioCBC",
                "CredfolioBadges", "CredfolioApp", "CredfolioHTML", "CredfolioCLI", "CSQLite", "CredfolioSQL", "CredfolioPostgres",
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
    ],
    swiftLanguageModes: [.v6]
)
