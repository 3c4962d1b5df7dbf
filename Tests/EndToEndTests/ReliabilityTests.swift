import Foundation
import Testing
@testable import CredfolioTestSupport
@testable import CredfolioSQLite
import CredfolioSQL
@testable import CredfolioCore
@testable import CredfolioEngine
@testable import CredfolioStore
@testable import CredfolioBadges
import Crypto

/// The database's rows, read with a connection of our own: equal before
/// and after a failed command means the command changed nothing.
func rows(of path: String) throws -> [String] {
    var options = Database.Options()
    options.readOnly = true
    return try dump(Database(path: path, options: options))
}

@Suite("Reliability: bad input, crashes, concurrency, hostile text", .serialized)
struct ReliabilityTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Corpus")

    func seeded() throws -> CLI {
        let cli = try CLI()
        try cli.ok("learner", "add", "sarah", "--name", "Sarah Chen")
        try cli.ok("learner", "add", "omar", "--name", "Omar Haddad")
        try cli.ok("credential", "add", "aws-ccp", "--title", "AWS Cloud Practitioner", "--hours", "40")
        try cli.ok("credential", "add", "sql-basics", "--title", "SQL Basics", "--hours", "20")
        return cli
    }

    @Test("every file of the bad-input corpus: one error line naming file, line and reason; exit 1; database unchanged")
    func corpus() throws {
        let cli = try seeded()
        let manifest = try String(contentsOf: Self.corpus.appendingPathComponent("manifest.tsv"), encoding: .utf8)
        var checked = 0
        for line in manifest.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: "\t", maxSplits: 2).map(String.init)
            let (kind, name, expected) = (fields[0], fields[1], fields[2])
            let path: String
            if name.hasPrefix("generated:") {
                let file = String(name.dropFirst("generated:".count))
                path = cli.directory.file(file)
                var data = Data("handle,name\n".utf8)
                if file == "huge-field.csv" {
                    data.append(Data("x,\"".utf8))
                    data.append(Data(repeating: UInt8(ascii: "a"), count: 10 << 20))
                    data.append(Data("\"\n".utf8))
                } else {
                    data.append(Data(repeating: UInt8(ascii: ","), count: 999_999))
                    data.append(Data("\n".utf8))
                }
                try data.write(to: URL(fileURLWithPath: path))
            } else {
                path = Self.corpus.appendingPathComponent(name).path
            }
            let before = try cli.rows()
            let result = try cli.run(["import", kind, path])
            #expect(result.status == 1, "\(name)")
            #expect(result.stderr == "error: " + expected.replacingOccurrences(of: "{file}", with: path) + "\n", "\(name)")
            #expect(result.stdout == "")
            #expect(try cli.rows() == before, "\(name) changed the database")
            checked += 1
        }
        #expect(checked == 25)
    }

    @Test("SIGKILL during a large import, at several points: integrity holds and the file is all there or not at all", .sqliteFile("copies the SQLite file and probes its write lock"))
    func crashDuringImport() throws {
        let cli = try CLI()
        var learners = "handle,name\n", credentials = "code,title,hours\n", awards = "learner,credential,status,earned_on\n"
        for l in 0..<2_000 { learners += "l\(l),Learner \(l)\n" }
        for c in 0..<50 { credentials += "c\(c),\"Credential \(c), with a comma\",\(c)\n" }
        for i in 0..<100_000 { awards += "l\(i % 2_000),c\((i / 2_000) % 50),earned,2026-0\(1 + i % 9)-1\(i % 10)\n" }
        try cli.ok("import", "learners", try cli.directory.write("l.csv", learners))
        try cli.ok("import", "credentials", try cli.directory.write("c.csv", credentials))
        let file = try cli.directory.write("awards.csv", awards)
        for pause in [0.0, 0.05, 0.2] {
            let copy = cli.directory.file("crash-\(pause).db")
            try? FileManager.default.removeItem(atPath: copy)
            try FileManager.default.copyItem(atPath: cli.database, toPath: copy)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: CLI.executable)
            process.arguments = ["import", "awards", file, "--db", copy]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Proof that the import is inside its write transaction: a
            // connection of the test's own cannot take the write lock.
            var options = Database.Options()
            options.busyTimeoutMilliseconds = 0
            let probe = try Database(path: copy, options: options)
            var inside = false
            let deadline = Date().addingTimeInterval(20)
            while !inside && process.isRunning && Date() < deadline {
                do {
                    try probe.execute(script: "BEGIN IMMEDIATE; ROLLBACK")
                } catch DatabaseError.SQLITE_BUSY {
                    inside = true
                }
            }
            #expect(inside, "the import was never seen holding its transaction")
            Thread.sleep(forTimeInterval: pause)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            #expect(process.terminationReason == .uncaughtSignal, "the import finished before the kill after \(pause) s")
            let db = try Database(path: copy)
            #expect(try db.integrityProblems().isEmpty)
            #expect(try db.foreignKeyProblems().isEmpty)
            // Killed inside the transaction: nothing of it remains.
            #expect(try db.scalar(Int.self, "SELECT count(*) FROM award") == 0, "killed after \(pause) s")
        }
    }

    @Test("a write that meets another process's write lock waits its busy timeout, then exits 75 and changes nothing")
    func busy() throws {
        let cli = try CLI()
        try cli.ok("learner", "add", "ana", "--name", "Ana")
        // Another process holding the write lock: SQLite's, or on PostgreSQL a lock on the table that every insert waits for.
        let holder: any SQLConnection = try cli.postgres.map { try $0.connect() } ?? Database(path: cli.database)
        try holder.execute(script: holder.engine == .sqlite ? "BEGIN IMMEDIATE" : "BEGIN; LOCK TABLE learner IN EXCLUSIVE MODE")
        let result = try cli.run(["learner", "add", "bo", "--name", "Bo"], environment: ["CREDFOLIO_BUSY_TIMEOUT": "200"])
        #expect(result.status == 75)
        #expect(result.stderr == "error: database is busy: another credfolio is using it; try again\n")
        try holder.execute(script: "ROLLBACK")
        #expect(try cli.ok("learner", "list", "--format", "csv").components(separatedBy: "\n").count == 3)
    }

    @Test("several processes writing at once: each succeeds or says the database is busy; every success is stored, nothing else")
    func concurrentWriters() throws {
        let cli = try CLI()
        var learners = "handle,name\n"
        for l in 0..<400 { learners += "l\(l),Learner \(l)\n" }
        try cli.ok("import", "learners", try cli.directory.write("l.csv", learners))
        try cli.ok("import", "credentials", try cli.directory.write("c.csv", "code,title\nc0,Zero\nc1,One\nc2,Two\n"))
        var commands: [[String]] = []
        var expected: [[[String]]] = []  // rows (learner, credential, earned_on) each command writes
        for f in 0..<4 {
            var csv = "learner,credential,earned_on\n"
            var rows: [[String]] = []
            for l in (f * 100)..<(f * 100 + 100) {
                for c in 0..<3 {
                    csv += "l\(l),c\(c),2026-03-0\(c + 1)\n"
                    rows.append(["l\(l)", "c\(c)", "2026-03-0\(c + 1)"])
                }
            }
            commands.append(["import", "awards", try cli.directory.write("a\(f).csv", csv)])
            expected.append(rows)
        }
        for k in 0..<16 {
            commands.append(["award", "add", "l\(k)", "c0", "--earned", "2025-12-\(10 + k)"])
            expected.append([["l\(k)", "c0", "2025-12-\(10 + k)"]])
        }
        let processes = try commands.map { arguments -> (Process, Pipe) in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: CLI.executable)
            process.arguments = arguments + ["--db", cli.database]
            let err = Pipe()
            process.standardError = err
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            return (process, err)
        }
        var succeeded: [Bool] = []
        for (process, err) in processes {
            let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            if process.terminationStatus == 0 {
                succeeded.append(true)
            } else {
                #expect(process.terminationStatus == 75)
                #expect(stderr == "error: database is busy: another credfolio is using it; try again\n")
                succeeded.append(false)
            }
        }
        let db = try cli.store().database
        let stored = Set(try db.fetch("""
            SELECT l.handle, c.code, a.earned_on FROM award a JOIN learner l ON l.id = a.learner_id
            JOIN credential c ON c.id = a.credential_id
            """) { [$0.string(0), $0.string(1), $0.string(2)] })
        let wanted = Set(zip(expected, succeeded).filter { $0.1 }.flatMap { $0.0 })
        #expect(stored == wanted)
        #expect(succeeded.filter { $0 }.count >= 1)
        if let file = try cli.store().file { #expect(try file.integrityProblems().isEmpty) }
    }

    @Test("SQL-looking names, titles and codes are stored and shown as text")
    func injection() throws {
        let cli = try CLI()
        let payload = "'); DROP TABLE learners;--"
        try cli.ok("learner", "add", "robert'--", "--name", payload, "--cohort", "x\" OR 1=1 --")
        try cli.ok("credential", "add", "c'--", "--title", payload)
        try cli.ok("award", "add", "robert'--", "c'--", "--earned", "2026-01-01")
        let json = try cli.ok("learner", "show", "robert'--", "--format", "json")
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
        #expect(object["name"] as? String == payload)
        #expect(object["cohort"] as? String == "x\" OR 1=1 --")
        #expect(((object["awards"] as! [[String: Any]])[0]["title"] as? String) == payload)
        #expect(try cli.ok("learner", "list", "--format", "csv").contains("robert'--,'); DROP TABLE learners;--,"))
        let db = try cli.store().database
        #expect(try db.scalar(Int.self, "SELECT count(*) FROM learner") == 1)
    }

    @Test("exported CSV neutralises formula cells; import restores them exactly")
    func formulaInjection() throws {
        let cli = try CLI()
        try cli.ok("learner", "add", "eve", "--name", "=HYPERLINK(\"http://x\",\"click\")", "--cohort", "@SUM(A1)", "--notes=-2+3")
        // A name is one line (no tab): the tab that a spreadsheet would act on is in the cohort.
        try cli.ok("learner", "add", "tab", "--name", "Tab", "--cohort", "\tTabbed", "--notes", "'=already quoted")
        let csv = try cli.ok("export", "learners")
        #expect(csv.contains("eve,\"'=HYPERLINK(\"\"http://x\"\",\"\"click\"\")\",,'@SUM(A1),'-2+3,"))
        #expect(csv.contains("tab,Tab,,'\tTabbed,''=already quoted,"))
        let copy = try CLI()
        try copy.ok("import", "learners", try copy.directory.write("l.csv", csv))
        #expect(try copy.ok("export", "learners") == csv)
        #expect(try copy.ok("learner", "show", "eve", "--format", "json").contains("\"name\": \"=HYPERLINK(\\\"http://x\\\",\\\"click\\\")\""))
    }

    @Test("backup makes a consistent private copy; restore checks it, replaces the data and keeps the old database", .sqliteFile("restore replaces a SQLite file"))
    func backupAndRestore() throws {
        let cli = try seeded()
        let backup = cli.directory.file("backup.db")
        #expect(try cli.ok("backup", backup) == "backed up \(cli.database) to \(backup)\n")
        let mode = try FileManager.default.attributesOfItem(atPath: backup)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(!FileManager.default.fileExists(atPath: backup + "-wal"))
        #expect(try cli.fails("backup", backup) == "error: \(backup) already exists; choose a new file for the backup\n")
        let saved = try cli.rows()
        try cli.ok("learner", "add", "later", "--name", "Added after the backup")
        let changed = try cli.rows()
        let output = try cli.ok("restore", backup)
        #expect(output.hasPrefix("restored \(cli.database) from \(backup); the replaced database is kept as \(cli.database).before-restore-"))
        #expect(try cli.rows() == saved)
        let kept = String(output.split(separator: " ").last!.dropLast())
        #expect(try rows(of: kept) == changed)
    }

    @Test("restore refuses a file that is not ours, is damaged, or is from a newer credfolio, and changes nothing", .sqliteFile("restore replaces a SQLite file"))
    func restoreRefusals() throws {
        let cli = try seeded()
        let before = try cli.rows()
        let foreign = cli.directory.file("foreign.db")
        do { try Database(path: foreign).execute(script: "CREATE TABLE t (x); INSERT INTO t VALUES (1)") }
        #expect(try cli.fails("restore", foreign) == "error: \(foreign) is not a credfolio database\n")
        let backup = cli.directory.file("b.db")
        try cli.ok("backup", backup)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: backup))
        bytes.replaceSubrange(4096..<8192, with: Data(repeating: 0xAB, count: 4096))
        let damaged = cli.directory.file("damaged.db")
        try bytes.write(to: URL(fileURLWithPath: damaged))
        #expect(try cli.fails("restore", damaged).hasPrefix("error: \(damaged) "))
        do { try Database(path: backup).execute(script: "PRAGMA user_version = 42") }
        #expect(try cli.fails("restore", backup) == "error: \(backup) has schema version 42, newer than this credfolio knows (7)\n")
        #expect(try cli.rows() == before)
    }

    @Test("doctor passes a sound database and exits 1 naming each broken invariant", .sqliteFile("SQLite's own checks, and rows written into the file by hand"))
    func doctor() throws {
        let cli = try seeded()
        try cli.ok("award", "add", "sarah", "aws-ccp", "--earned", "2020-01-01", "--expires", "2021-01-01")
        try cli.ok("import", "stacks", try cli.directory.write("s.json", #"{"code": "s", "requires": {"credential": "sql-basics"}}"#))
        let healthy = try cli.ok("doctor", "--format", "csv", "--as-of", "2026-01-01")
        #expect(healthy == """
            check,status,detail
            integrity,ok,the file is sound
            foreign keys,ok,every reference resolves
            schema,ok,version 7
            awards,ok,every award names a known learner and credential
            ranges,ok,every number and derived date is within its range
            stacks,ok,1 stack resolves
            expiry,info,1 earned award has expired by 2026-01-01

            """)
        do {
            let db = try Database(path: cli.database)
            try db.execute(script: """
                PRAGMA foreign_keys = OFF;
                INSERT INTO award (learner_id, credential_id, status, earned_on) VALUES (999, 1, 'earned', '2026-01-01');
                UPDATE stack SET requires = '{"credential":"gone"}' WHERE code = 's';
                """)
        }
        let result = try cli.run(["doctor", "--format", "csv", "--as-of", "2026-01-01"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("foreign keys,problem,award row 2 refers to a missing learner row\n"))
        #expect(result.stdout.contains("awards,problem,award 2 refers to an unknown learner or credential\n"))
        #expect(result.stdout.contains("stacks,problem,stack s: credential gone does not exist\n"))
        #expect(result.stderr == "error: doctor found 3 problems in \(cli.database)\n")
    }
}

@Suite("Fuzzing (bounded; Scripts/fuzz runs longer)")
struct FuzzTests {
    static let iterations = Int(ProcessInfo.processInfo.environment["FUZZ_ITERATIONS"] ?? "") ?? 400
    static let seed = UInt64(ProcessInfo.processInfo.environment["FUZZ_SEED"] ?? "") ?? 4_242

    static func mutate(_ bytes: [UInt8], _ rng: inout SeededRandom) -> [UInt8] {
        var out = bytes
        let interesting: [UInt8] = [0x22, 0x2C, 0x0A, 0x0D, 0x00, 0xFF, 0xC3, 0x27, 0x3D, 0x7B, 0x7D, 0x5B, 0x5D, 0x3A, 0x5C]
        for _ in 0..<Int.random(in: 1...6, using: &rng) {
            guard !out.isEmpty else { out.append(interesting.randomElement(using: &rng)!); continue }
            let at = Int.random(in: 0..<out.count, using: &rng)
            switch Int.random(in: 0..<5, using: &rng) {
            case 0: out[at] = interesting.randomElement(using: &rng)!
            case 1: out.insert(interesting.randomElement(using: &rng)!, at: at)
            case 2: out.remove(at: at)
            case 3: out = Array(out[..<at])
            default: out[at] = UInt8.random(in: 0...255, using: &rng)
            }
        }
        return out
    }

    @Test("mutated CSV files never crash an import and never store part of a file")
    func csvImport() throws {
        var rng = SeededRandom(seed: Self.seed)
        let store = try sampleStore()
        let seeds: [(Importer.Kind, String)] = [
            (.learners, "handle,name,email,cohort,notes\nana,\"Ana, B\",ana@x.org,c1,\"multi\nline\"\nbo,Bo,,c2,\n"),
            (.awards, "learner,credential,status,earned_on,expires_on\nsarah,aws-ccp,earned,2026-01-02,\nomar,py-data,planned,,\n"),
            (.credentials, "code,title,hours,cost,skills\nnew,\"New, one\",10,9.99,cloud;python\n"),
            (.skills, "code,name,category\nk1,Skill one,Tech\n"),
        ]
        for _ in 0..<Self.iterations {
            let (kind, text) = seeds.randomElement(using: &rng)!
            let input = Self.mutate(Array(text.utf8), &rng)
            let before = try dump(store.database)
            do {
                _ = try Importer(store.database).run(kind, reader: CSVReader(bytes: input), file: "fuzz.csv")
            } catch let error as CredfolioError {
                #expect(error.message.hasPrefix("fuzz.csv:"), "\(error.message)")
                #expect(!error.message.contains("\n"))
                #expect(try dump(store.database) == before, "a failed import changed the database")
            }
            #expect(!store.database.isInTransaction)
        }
    }

    @Test("mutated badges (JSON, JWS, baked PNG with plain and compressed chunks, baked SVG, CLR) never crash the reader; each refusal is one line")
    func badgeReader() throws {
        var rng = SeededRandom(seed: Self.seed &+ 2)
        let ob3 = BadgeFixtures.credential(email: "ana@example.org")
        let ob3Text = ob3.serialized(pretty: false)
        let ob2 = BadgeFixtures.assertion(identity: BadgeFixtures.sha256Identity("ana@example.org", salt: "s"), embedded: true)
        let clr: JSONValue = .object([
            ("@context", .array([.string("https://www.w3.org/ns/credentials/v2")])), ("id", .string("urn:uuid:clr-1")),
            ("type", .array([.string("VerifiableCredential"), .string("ClrCredential")])),
            ("issuer", .object([("id", .string("https://issuer.test")), ("name", .string("Issuer"))])),
            ("validFrom", .string("2026-05-01T00:00:00Z")),
            ("credentialSubject", .object([("type", .array([.string("ClrSubject")])), ("verifiableCredential", .array([ob3]))])),
        ])
        // A zTXt chunk holding the credential, deflated with dynamic Huffman blocks.
        var zTXt = PNGChunks.signature + PNGChunks.chunk(type: "IHDR", data: [0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0])
        zTXt += PNGChunks.chunk(type: "zTXt", data: Array("openbadgecredential".utf8) + [0, 0] + DeflateSamples.bytes(DeflateSamples.dynamic))
        zTXt += PNGChunks.chunk(type: "IEND", data: [])
        let seeds: [[UInt8]] = [
            Array(ob3Text.utf8),
            BadgeFixtures.json(ob2),
            BadgeFixtures.json(clr),
            Array(try BadgeFixtures.es256(Array(ob3Text.utf8), key: P256.Signing.PrivateKey()).utf8),
            try PNGChunks.baking(BadgeFixtures.png, keyword: "openbadgecredential", text: ob3Text),
            zTXt,
            Array(try #require(SVGBadge.baking(BadgeFixtures.svg, element: "openbadges:credential",
                                               namespace: "https://purl.imsglobal.org/ob/v3p0", content: ob3Text)).utf8),
        ]
        for seed in seeds { #expect(!(try BadgeReader().read(seed)).isEmpty, "every seed reads before it is mutated") }
        var refused = 0
        for _ in 0..<(Self.iterations * 5) {
            let input = Self.mutate(seeds.randomElement(using: &rng)!, &rng)
            do {
                _ = try BadgeReader().read(input)
            } catch {
                refused += 1
                #expect(!error.message.isEmpty && !error.message.contains("\n"), "\(error.message)")
            }
        }
        #expect(refused > 0)
        // Deflate streams, mutated: refused or inflated within the limit, never a trap.
        let streams = [DeflateSamples.dynamic, DeflateSamples.stored, "78dacb48cdc9c957c800910019910449"].map(DeflateSamples.bytes)
        for _ in 0..<(Self.iterations * 5) {
            let input = Self.mutate(streams.randomElement(using: &rng)!, &rng)
            if let out = try? Inflate.zlib(input, limit: 1 << 12) { #expect(out.count <= 1 << 12) }
        }
        // The same streams inside zTXt and compressed iTXt chunks with valid CRCs, so that the reader gets past the checks.
        let header = PNGChunks.signature + PNGChunks.chunk(type: "IHDR", data: [0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0])
        for i in 0..<(Self.iterations * 5) {
            let stream = Self.mutate(streams[0], &rng)
            let chunk = i % 2 == 0
                ? PNGChunks.chunk(type: "zTXt", data: Array("openbadgecredential".utf8) + [0, 0] + stream)
                : PNGChunks.chunk(type: "iTXt", data: Array("openbadgecredential".utf8) + [0, 1, 0, 0, 0] + stream)
            do {
                _ = try BadgeReader().read(header + chunk + PNGChunks.chunk(type: "IEND", data: []))
            } catch {
                #expect(!error.message.isEmpty && !error.message.contains("\n"), "\(error.message)")
            }
        }
    }

    @Test("mutated stack files never crash the parser; what parses writes back and parses the same")
    func stackParser() throws {
        var rng = SeededRandom(seed: Self.seed &+ 1)
        let seed = Array(#"[{"code": "a", "title": "T", "shared": true, "requires": {"all": [{"credential": "x"}, {"choose": 1, "of": [{"skill": "s"}, {"hours": 10, "from": ["x"]}, {"credits": 2, "unit": "ECTS"}]}, {"stack": "b"}]}}]"#.utf8)
        var parsed = 0
        for _ in 0..<(Self.iterations * 5) {
            let input = Self.mutate(seed, &rng)
            do {
                let stacks = try StackParser.parse(input)
                parsed += 1
                #expect(try StackParser.parse(Array(JSONValue.array(stacks.map(\.json)).serialized().utf8)) == stacks)
            } catch is CredfolioError {
            } catch is JSONSyntaxError {
            }
        }
        #expect(parsed > 0)
    }
}
