import Foundation
import Testing

/// The result of running the credfolio executable once.
struct CommandResult {
    let status: Int32
    let stdout: String
    let stderr: String
}

/// Runs the built `credfolio` executable against a temporary database.
struct CLI {
    let directory: TemporaryDirectory
    var database: String { directory.file("credfolio.db") }

    init() throws { directory = try TemporaryDirectory() }

    static let executable: String = {
        if let path = ProcessInfo.processInfo.environment["CREDFOLIO_BIN"], !path.isEmpty { return path }
        // Beside the test bundle in the build folder.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/credfolio").path
    }()

    @discardableResult
    func run(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:],
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
        return CommandResult(status: process.terminationStatus,
                             stdout: String(decoding: outData, as: UTF8.self),
                             stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Runs and expects success; returns standard output.
    @discardableResult
    func ok(_ arguments: String..., stdin: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let result = try run(arguments, stdin: stdin)
        #expect(result.status == 0, "credfolio \(arguments.joined(separator: " ")) failed: \(result.stderr)", sourceLocation: sourceLocation)
        return result.stdout
    }

    /// Runs and expects failure; returns standard error.
    func fails(_ arguments: String..., status: Int32 = 1, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let result = try run(arguments)
        #expect(result.status == status, "credfolio \(arguments.joined(separator: " ")) exited \(result.status): \(result.stderr)", sourceLocation: sourceLocation)
        return result.stderr
    }

    /// A checksum of every row of the database, to prove a failure changed nothing.
    func fingerprint() throws -> String {
        try run(["export", "learners"]).stdout + run(["export", "skills"]).stdout
            + run(["export", "credentials"]).stdout + run(["export", "awards"]).stdout
    }
}

extension Array where Element == String {
    /// Puts `--db PATH` after the subcommand words, where ArgumentParser reads it.
    func withDatabase(_ path: String) -> [String] {
        guard !contains("--db") else { return self }
        return self + ["--db", path]
    }
}
