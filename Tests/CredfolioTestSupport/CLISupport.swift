public import Foundation
public import Testing
@testable import CredfolioApp
@testable import CredfolioHTML
@testable import CredfolioSQLite
@testable import CredfolioSystem
public import CredfolioStore

/// The result of running the credfolio executable once.
public struct CommandResult {
    public let status: Int32
    /// True when the process was killed by a signal (`status` is then its number).
    public var signalled = false
    public let stdout: String
    public let stderr: String
}

/// Runs the built `credfolio` executable against a temporary database: a
/// file in a temporary folder, or a new PostgreSQL database when the suite
/// runs on that engine (``TestEngine``).
public struct CLI {
    public let directory: TemporaryDirectory
    /// The PostgreSQL database, when the suite runs on PostgreSQL.
    public let postgres: PostgresTestDatabase?
    /// What `--db` names: the file, or the PostgreSQL URL.
    public var database: String { postgres?.url ?? directory.file("credfolio.db") }

    /// A CLI on the suite's engine.
    public init() throws { try self.init(engine: TestEngine.current) }

    /// A CLI on `engine`, whatever the suite's.
    public init(engine: TestEngine) throws {
        directory = try TemporaryDirectory()
        postgres = engine == .postgres ? try PostgresTestDatabase() : nil
    }

    public static let executable: String = {
        if let path = ProcessInfo.processInfo.environment["CREDFOLIO_BIN"], !path.isEmpty { return path }
        // Beside the test bundle in the build folder.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/credfolio").path
    }()

    @discardableResult
    public func run(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:],
             useDatabase: Bool = true) throws -> CommandResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.executable)
        process.arguments = useDatabase ? arguments.withDatabase(database) : arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory.path)
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "CREDFOLIO_DB")
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        // Read both pipes fully before waiting, so a large output cannot block the child.
        let group = DispatchGroup()
        nonisolated(unsafe) var errData = Data()
        DispatchQueue.global().async(group: group) { errData = err.fileHandleForReading.readDataToEndOfFile() }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return CommandResult(status: process.terminationStatus, signalled: process.terminationReason == .uncaughtSignal,
                             stdout: String(decoding: outData, as: UTF8.self),
                             stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Runs and expects success; returns standard output.
    @discardableResult
    public func ok(_ arguments: String..., stdin: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        try ok(arguments, stdin: stdin, sourceLocation: sourceLocation)
    }

    @discardableResult
    public func ok(_ arguments: [String], stdin: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let result = try run(arguments, stdin: stdin)
        #expect(result.status == 0, "credfolio \(arguments.joined(separator: " ")) failed: \(result.stderr)", sourceLocation: sourceLocation)
        return result.stdout
    }

    /// Runs and expects failure; returns standard error.
    public func fails(_ arguments: String..., status: Int32 = 1, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        try fails(arguments, status: status, sourceLocation: sourceLocation)
    }

    public func fails(_ arguments: [String], status: Int32 = 1, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let result = try run(arguments)
        #expect(result.status == status, "credfolio \(arguments.joined(separator: " ")) exited \(result.status): \(result.stderr)", sourceLocation: sourceLocation)
        return result.stderr
    }

    /// The database, opened as a command that only reads opens it: to look
    /// at what the commands stored, on either engine.
    public func store() throws -> Store {
        try Store.open(database, access: .read)
    }

    /// Every row of every table of the database (``dump(_:)``).
    public func rows() throws -> [String] {
        try dump(store().database)
    }

    /// A checksum of every row of the database, to prove a failure changed nothing.
    public func fingerprint() throws -> String {
        try run(["export", "learners"]).stdout + run(["export", "skills"]).stdout
            + run(["export", "credentials"]).stdout + run(["export", "awards"]).stdout
    }
}

extension Array where Element == String {
    /// Puts `--db PATH` after the subcommand words, where ArgumentParser reads it.
    public func withDatabase(_ path: String) -> [String] {
        guard !contains("--db") else { return self }
        return self + ["--db", path]
    }
}

/// How a shell script with credfolio in it ended.
public struct ShellResult {
    public let status: Int32
    /// True when the shell itself was killed by a signal (`status` is then its number).
    public let signalled: Bool
    public let stdout: String
    public let stderr: String
}

extension CLI {
    /// Runs `script` with `/bin/sh` in the test's folder, with `credfolio`
    /// on `PATH` and the test database as `$CREDFOLIO_DB`.
    public func shell(_ script: String, timeout: TimeInterval = 60) throws -> ShellResult {
        // GNU timeout runs the script in a process group of its own and
        // kills the whole group when time is up: a credfolio that hangs
        // cannot outlive the test.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        process.arguments = ["-s", "KILL", String(Int(timeout)), "/bin/sh", "-c", script]
        process.currentDirectoryURL = URL(fileURLWithPath: directory.path)
        var env = ProcessInfo.processInfo.environment
        let folder = URL(fileURLWithPath: CLI.executable).deletingLastPathComponent().path
        env["PATH"] = folder + ":" + (env["PATH"] ?? "/usr/bin:/bin")
        env["CREDFOLIO_DB"] = database
        process.environment = env
        let out = directory.file("shell-\(UUID().uuidString).out"), err = directory.file("shell-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        _ = FileManager.default.createFile(atPath: err, contents: nil)
        process.standardOutput = FileHandle(forWritingAtPath: out)
        process.standardError = FileHandle(forWritingAtPath: err)
        try process.run()
        process.waitUntilExit()
        if process.terminationReason == .exit && process.terminationStatus == 137 {
            Issue.record("the script ran longer than \(timeout) s: \(script)")
        }
        defer {
            try? FileManager.default.removeItem(atPath: out)
            try? FileManager.default.removeItem(atPath: err)
        }
        return ShellResult(status: process.terminationStatus, signalled: process.terminationReason == .uncaughtSignal,
                           stdout: try String(contentsOfFile: out, encoding: .utf8),
                           stderr: try String(contentsOfFile: err, encoding: .utf8))
    }
}
