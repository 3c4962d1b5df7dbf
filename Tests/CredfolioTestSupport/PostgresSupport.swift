import Foundation
public import Testing
public import CredfolioPostgres
public import CredfolioStore

/// Which engine the end-to-end tests run against: SQLite files unless
/// `$CREDFOLIO_TEST_ENGINE` is `postgres`, when every ``CLI`` gets a new
/// database of its own on the test server (`$CREDFOLIO_TEST_POSTGRES`, the
/// throwaway cluster Scripts/test starts). `Scripts/test` runs the suite both
/// ways.
public enum TestEngine: String, Sendable {
    case sqlite, postgres

    public static let current: TestEngine = {
        ProcessInfo.processInfo.environment["CREDFOLIO_TEST_ENGINE"].flatMap(TestEngine.init(rawValue:)) ?? .sqlite
    }()
}

/// A new, empty database on the test server, dropped when the last
/// reference goes. Without a server it fails, saying how to start one: a test
/// that needs PostgreSQL never passes by skipping.
public final class PostgresTestDatabase: Sendable {
    /// The server as libpq's key=value pairs, connected to the maintenance database.
    public let server: String
    public let name: String
    /// The new database as the `postgresql://` URL credfolio takes.
    public let url: String

    public struct NoServer: Error, CustomStringConvertible {
        public var description: String { "no test server: run Scripts/test, or eval \"$(Scripts/postgres-cluster start)\" first" }
    }

    public init() throws {
        guard let server = ProcessInfo.processInfo.environment["CREDFOLIO_TEST_POSTGRES"], !server.isEmpty else { throw NoServer() }
        self.server = server
        name = try Self.create(on: server)
        url = Self.url(server: server, database: name)
    }

    /// Creates a new, empty database with a name of its own on `server`; returns the name.
    static func create(on server: String) throws -> String {
        let name = "credfolio_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        try PostgresConnection(server).query("CREATE DATABASE \(name)")
        return name
    }

    /// The key=value pairs of a libpq connection string such as `host=… dbname=… user=…`.
    public static func settings(of server: String) -> [String: String] {
        var pairs: [String: String] = [:]
        for pair in server.split(separator: " ") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { pairs[parts[0]] = parts[1] }
        }
        return pairs
    }

    /// The URL of `database` on the server `server` (`host=… user=…`).
    public static func url(server: String, database: String, user: String? = nil) -> String {
        let pairs = settings(of: server)
        var url = "postgresql:///\(database)?host=\(pairs["host"] ?? "/tmp")"
        if let user = user ?? pairs["user"] { url += "&user=\(user)" }
        return url
    }

    /// A connection to the database as the server's superuser.
    public func connect() throws -> PostgresConnection {
        try PostgresConnection(server.replacingOccurrences(of: "dbname=postgres", with: "dbname=\(name)"))
    }

    deinit {
        _ = try? PostgresConnection(server).query("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }
}

/// A new, empty store on the suite's engine: in memory on SQLite, or a new
/// database on the test server. A PostgreSQL database made here lives until
/// the server is thrown away (Scripts/test stops it), since the store holds
/// no reference to drop it by.
public func testStore() throws -> Store {
    switch TestEngine.current {
    case .sqlite: return try Store.inMemory()
    case .postgres:
        guard let server = ProcessInfo.processInfo.environment["CREDFOLIO_TEST_POSTGRES"], !server.isEmpty else {
            throw PostgresTestDatabase.NoServer()
        }
        return try Store(postgres: PostgresTestDatabase.url(server: server, database: try PostgresTestDatabase.create(on: server)))
    }
}

extension Trait where Self == ConditionTrait {
    /// Tests against the PostgreSQL test server: they run unless
    /// `CREDFOLIO_SKIP_POSTGRES=1` says there is none to run against, and
    /// without a server they fail, saying how to start one.
    public static var postgresServer: Self {
        .enabled(if: ProcessInfo.processInfo.environment["CREDFOLIO_SKIP_POSTGRES"] != "1", "CREDFOLIO_SKIP_POSTGRES=1")
    }

    /// A test of what only a SQLite file has or allows (its locks, its pages,
    /// values written into it by hand past the checks PostgreSQL's schema
    /// enforces). It runs in the suite's SQLite pass; the PostgreSQL pass
    /// lists it as skipped, with `reason`.
    public static func sqliteFile(_ reason: Comment) -> Self {
        .enabled(if: TestEngine.current == .sqlite, reason)
    }
}
