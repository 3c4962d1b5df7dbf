import ArgumentParser
import CredfolioCore
import CredfolioStore
#if canImport(Glibc)
import Glibc
#endif

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import learners, skills, credentials or awards from CSV, or stacks from JSON.",
        discussion: """
            One file is one transaction: if any row is bad, nothing from the file is stored and the error \
            names the file, the line and the reason. Rows upsert by their key (handle; code; learner + \
            credential + earned_on), so importing a file twice changes nothing.
            """)
    @OptionGroup var database: DatabaseOptions
    @Argument(help: "learners, skills, credentials, awards (CSV) or stacks (JSON).") var kind: String
    @Argument(help: "The file (- for standard input).") var file: String

    func run() throws {
        if kind == "stacks" {
            let bytes = try InputFile(path: file).readAll(limit: 16 << 20)
            let store = try database.open()
            let summary = try store.stacks.importFile(bytes, file: file)
            OutputSink.standardOutput().write(summary.description + "\n")
            return
        }
        guard let csvKind = Importer.Kind(rawValue: kind) else {
            throw CredfolioError.invalid("cannot import \(Field.quoted(kind)): choose learners, skills, credentials, awards or stacks")
        }
        let input = try InputFile(path: file)
        let store = try database.open()
        let summary = try Importer(store.database, expectedRows: input.size / 40)
            .run(csvKind, reader: CSVReader(fileDescriptor: input.fd), file: file)
        OutputSink.standardOutput().write(summary.description + "\n")
    }
}

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export learners, skills, credentials, awards or progress as CSV (stacks as JSON), in the form import reads.",
        discussion: """
            Text cells that a spreadsheet would run as a formula (starting with =, +, -, @, tab or carriage \
            return) are written with a leading ' ; import removes exactly that, so export then import is lossless.
            """)
    @OptionGroup var database: DatabaseOptions
    @Argument(help: "learners, skills, credentials, awards, progress (CSV) or stacks (JSON).") var kind: String
    @Option(name: .shortAndLong, help: "Write to this file instead of standard output.") var output: String?
    @Option(name: .customLong("as-of"), help: "progress: the date to evaluate on (default: today).") var asOf: String?
    @Option(help: "progress: only this stack.") var stack: String?
    @Option(help: "progress: only learners of this cohort.") var cohort: String?

    func run() throws {
        if kind == "stacks" {
            try StackCommand.Export.write(try database.openForReading(), code: stack, to: output)
            return
        }
        if kind == "progress" {
            let day = try asOfDay(asOf)
            let store = try database.openForReading()
            try noteUnknownCohort(cohort, in: store)
            try writeOutput(to: output) { sink in
                var export = ProgressExport(store: store, stack: stack, cohort: cohort, asOf: day)
                export.spillFolder = output.flatMap { $0 == "-" ? nil : OutputTarget($0) }.flatMap { $0.isSpecial ? nil : $0.folder }
                try export.write(to: CSVWriter(sink: sink), sink: sink)
            }
            return
        }
        guard let csvKind = Importer.Kind(rawValue: kind) else {
            throw CredfolioError.invalid("cannot export \(Field.quoted(kind)): choose learners, skills, credentials, awards, progress or stacks")
        }
        let store = try database.openForReading()
        try writeOutput(to: output) { sink in
            try Exporter(store.database).run(csvKind, to: CSVWriter(sink: sink))
        }
    }
}

/// An input file opened for reading; `-` is standard input.
final class InputFile {
    let fd: Int32
    private let owned: Bool
    /// The size in bytes, when it is a regular file (else 0).
    private(set) var size = 0

    init(path: String) throws {
        if path == "-" {
            fd = STDIN_FILENO
            owned = false
            return
        }
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw CredfolioError.invalid("cannot open \(path): \(String(cString: strerror(errno)))") }
        owned = true
        var info = stat()
        if fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw CredfolioError.invalid("\(path) is a folder, not a file")
        }
        if (info.st_mode & S_IFMT) == S_IFREG { size = Int(info.st_size) }
    }

    deinit { if owned { close(fd) } }

    /// The whole file, refused when larger than `limit` bytes.
    func readAll(limit: Int) throws -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count == 0 { return bytes }
            if count < 0 {
                if errno == EINTR { continue }
                throw CredfolioError.invalid("cannot read: \(String(cString: strerror(errno)))")
            }
            bytes.append(contentsOf: chunk[0..<count])
            if bytes.count > limit { throw CredfolioError.invalid("file is larger than \(NumberText.grouped(limit)) bytes") }
        }
    }
}
