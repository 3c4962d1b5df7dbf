import Foundation
import Testing
@testable import CredfolioTestSupport
@testable import CredfolioSQLite
@testable import CredfolioCore
@testable import CredfolioEngine
@testable import CredfolioStore

/// Writes SQL straight into a test database, as a person with the sqlite3
/// shell would: values the program itself would never store.
func tamper(_ path: String, _ sql: String) throws {
    let db = try Database(path: path)
    try db.execute(script: sql)
}

/// A process that did not trap: it exited 0, 1 or 64, and said `error:` when it refused.
func expectNoTrap(_ result: CommandResult, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(!result.signalled, "\(what) was killed by signal \(result.status)", sourceLocation: sourceLocation)
    #expect([0, 1, 64].contains(result.status), "\(what) exited \(result.status): \(result.stderr)", sourceLocation: sourceLocation)
    if result.status != 0 {
        #expect(result.stderr.hasPrefix("error: ") && result.stderr.filter { $0 == "\n" }.count == 1,
                "\(what): \(result.stderr)", sourceLocation: sourceLocation)
    }
}

@Suite("Hardening: the crashes of issue 8, each a regression test", .serialized)
struct CrashRegressionTests {
    func learnerWorld() throws -> CLI {
        let cli = try CLI()
        try cli.ok("learner", "add", "ana", "--name", "Ana")
        return cli
    }

    @Test("1. a cost past 10^10 units is refused on the command line and in a CSV, with the range")
    func hugeCost() throws {
        let cli = try learnerWorld()
        #expect(try cli.fails("credential", "add", "big", "--title", "B", "--cost", "92233720368547758.08")
                == "error: cost \"92233720368547758.08\" is more than 10,000,000,000\n")
        let file = try cli.directory.write("c.csv", "code,title,cost\nbig,B,92233720368547758.08\n")
        #expect(try cli.fails("import", "credentials", file)
                == "error: \(file):2: cost \"92233720368547758.08\" is more than 10,000,000,000\n")
        try cli.ok("credential", "add", "max", "--title", "M", "--cost", "10000000000")
        #expect(try cli.ok("credential", "show", "max", "--format", "csv").contains(",10000000000.00,USD,"))
    }

    @Test("2. plans over the largest costs and hours add up exactly; a hand-written huge value is a clear error", .sqliteFile("writes a value into the SQLite file by hand, past the checks"))
    func planSums() throws {
        let cli = try learnerWorld()
        var stack = #"{"code": "s", "requires": {"all": ["#
        for i in 0..<10 {
            try cli.ok("credential", "add", "c\(i)", "--title", "C\(i)", "--cost", "10000000000", "--hours", "1000000")
            stack += (i > 0 ? "," : "") + #"{"credential": "c\#(i)"}"#
        }
        try cli.ok("import", "stacks", try cli.directory.write("s.json", stack + "]}}"))
        let json = try cli.ok("next", "ana", "s", "--by", "cost", "--as-of", "2026-01-01", "--format", "json")
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
        #expect(object["total_hours"] as? Int == 10_000_000)
        #expect((object["total_cost"] as? NSNumber)?.int64Value == 100_000_000_000)
        try tamper(cli.database, "UPDATE credential SET hours = 999999999999999999 WHERE code = 'c3'")
        #expect(try cli.fails("next", "ana", "s", "--as-of", "2026-01-01").hasPrefix(
            "error: credential c3 in \(cli.database) holds a value out of range: hours \"999999999999999999\" is more than 1,000,000"))
    }

    @Test("3. a stack threshold past 10^9 is refused at import; one written into the file by hand is a clear error", .sqliteFile("writes a value into the SQLite file by hand, past the checks"))
    func hugeThreshold() throws {
        let cli = try learnerWorld()
        let file = try cli.directory.write("a.json", #"{"code":"a","title":"A","requires":{"hours":1e19}}"#)
        #expect(try cli.fails("import", "stacks", file)
                == "error: \(file): stack a: at requires: \"hours\" 1e+19 is more than 1,000,000,000\n")
        try cli.ok("credential", "add", "c", "--title", "C", "--hours", "5")
        try cli.ok("import", "stacks", try cli.directory.write("b.json", #"{"code":"a","requires":{"hours":10}}"#))
        try tamper(cli.database, #"UPDATE stack SET requires = '{"hours":1e19}'"#)
        let result = try cli.run(["next", "ana", "a", "--as-of", "2026-01-01"])
        expectNoTrap(result, "next")
        #expect(result.stderr == "error: stack a is stored damaged: stack a: at requires: \"hours\" 1e+19 is more than 1,000,000,000\n")
    }

    @Test("4. --pace must be a number from 0.01 to 168: 1e-300, inf and -1 are usage errors with the reason")
    func pace() throws {
        let cli = try learnerWorld()
        try cli.ok("credential", "add", "c", "--title", "C", "--hours", "5")
        try cli.ok("import", "stacks", try cli.directory.write("s.json", #"{"code":"s","requires":{"credential":"c"}}"#))
        for (value, reason) in [("1e-300", "is not a number of hours a week (such as 8 or 7.5)"),
                                ("inf", "is not a number of hours a week (such as 8 or 7.5)"),
                                ("-1", "must be greater than 0"), ("0", "must be greater than 0"),
                                ("168.5", "is more than 168 hours a week (the hours in a week)")] {
            let stderr = try cli.fails("next", "ana", "s", "--pace", value, status: 64)
            #expect(stderr == "error: The value '\(value)' is invalid for '--pace <pace>': pace \"\(value)\" \(reason) (see credfolio help)\n")
        }
        #expect(try cli.ok("next", "ana", "s", "--pace", "0.01", "--as-of", "2026-01-01").contains("about 500 weeks at 0.01 hours a week"))
    }

    @Test("5. report expiring --within is 0 to 36,500 days; the calendar's end bounds the window")
    func within() throws {
        let cli = try learnerWorld()
        #expect(try cli.fails("report", "expiring", "--within", "3000000000", status: 64)
                == "error: The value '3000000000' is invalid for '--within <within>': within \"3000000000\" is more than 36,500 (see credfolio help)\n")
        #expect(try cli.fails("report", "expiring", "--within", "-1", status: 64).contains("within \"-1\" is negative"))
        #expect(try cli.ok("report", "expiring", "--within", "36500", "--as-of", "9999-01-01")
                == "nothing held expires by 9999-12-31 (within 36500 days of 9999-01-01)\n")
    }

    @Test("6. validity past 1,200 months is refused; a lapse past 9999-12-31 is refused; a poisoned database never traps", .sqliteFile("writes values into the SQLite file by hand, past the checks"))
    func validity() throws {
        let cli = try learnerWorld()
        #expect(try cli.fails("credential", "add", "lv", "--title", "L", "--validity-months", "100000000")
                == "error: validity_months \"100000000\" is more than 1,200\n")
        let file = try cli.directory.write("c.csv", "code,title,validity_months\nlv,L,99999999999\n")
        #expect(try cli.fails("import", "credentials", file) == "error: \(file):2: validity_months \"99999999999\" is more than 1,200\n")
        try cli.ok("credential", "add", "lv", "--title", "L", "--validity-months", "36")
        #expect(try cli.fails("award", "add", "ana", "lv", "--earned", "9999-12-31")
                == "error: award of lv earned on 9999-12-31 would expire 36 months later, after 9999-12-31, the last date credfolio handles\n")
        #expect(try cli.ok("award", "add", "ana", "lv", "--earned", "9996-12-31") == "recorded earned award of lv to ana on 9996-12-31, expires 9999-12-31\n")
        // Raising the validity would push that award past the calendar's end.
        #expect(try cli.fails("credential", "edit", "lv", "--validity-months", "37")
                == "error: an award of lv earned on 9996-12-31 would expire 37 months later, after 9999-12-31, the last date credfolio handles\n")
        // Written by hand, as the first release allowed: nothing may trap.
        try tamper(cli.database, "UPDATE credential SET validity_months = 100000000")
        try cli.ok("import", "stacks", try cli.directory.write("s.json", #"{"code":"s","requires":{"credential":"lv"}}"#))
        for command in [["award", "list"], ["learner", "show", "ana"], ["progress", "ana", "--as-of", "2026-01-01"],
                        ["report", "expiring", "--as-of", "2026-01-01"], ["export", "progress", "--as-of", "2026-01-01"],
                        ["doctor", "--as-of", "2026-01-01"], ["next", "ana"], ["report", "cohort"]] {
            expectNoTrap(try cli.run(command), command.joined(separator: " "))
        }
        let doctor = try cli.run(["doctor", "--format", "csv", "--as-of", "2026-01-01"])
        #expect(doctor.stdout.contains("ranges,problem,\"credential lv: validity_months \"\"100000000\"\" is more than 1,200\"\n"))
        #expect(doctor.stdout.contains("ranges,problem,\"award of lv to ana earned on 9996-12-31 would expire 100000000 months later, after 9999-12-31, the last date credfolio handles\"\n"))
        #expect(try cli.fails("progress", "ana").contains("credential lv in \(cli.database) holds a value out of range"))
    }

    @Test("dates stay within 0001-01-01...9999-12-31: day and month arithmetic past either end is nil, never a trap")
    func calendarEnds() {
        #expect(Day.first.description == "0001-01-01" && Day.last.description == "9999-12-31")
        #expect(Day.last.adding(days: 1) == nil && Day.first.adding(days: -1) == nil)
        #expect(Day.first.adding(days: 3_652_058) == Day.last)
        #expect(day("9999-12-31").adding(months: 1) == nil)
        #expect(day("0001-01-31").adding(months: -1) == nil)
        #expect(day("2026-01-01").adding(months: Int.max) == nil && day("2026-01-01").adding(days: Int.min) == nil)
        #expect(Expiry.of(explicit: nil, earnedOn: day("9999-06-01"), validityMonths: 12) == nil)
        #expect(Expiry.of(explicit: nil, earnedOn: day("2026-01-31"), validityMonths: 1) == day("2026-02-28"))
    }
}

@Suite("Hardening: extreme values never trap", .serialized)
struct ExtremeValueTests {
    static let values = ["0", "-1", "1e-300", "1e19", "inf", "nan", "9223372036854775808", "1000000000000"]

    /// After a value was accepted, the commands that compute with it must not trap either.
    func downstream(_ cli: CLI) throws {
        for command in [["award", "add", "ana", "c", "--earned", "2026-01-01"], ["award", "list"],
                        ["progress", "ana", "--as-of", "2026-06-01"], ["next", "ana", "--as-of", "2026-06-01"],
                        ["next", "ana", "--by", "cost", "--as-of", "2026-06-01"], ["report", "expiring", "--as-of", "2026-06-01"],
                        ["report", "cohort", "--as-of", "2026-06-01"], ["export", "progress", "--as-of", "2026-06-01"],
                        ["doctor", "--as-of", "2026-06-01"]] {
            expectNoTrap(try cli.run(command), command.joined(separator: " "))
        }
    }

    @Test("every numeric option of credential add and edit, with every extreme value")
    func credentialOptions() throws {
        for option in ["--hours", "--credits", "--cost", "--weeks", "--validity-months"] {
            let cli = try CLI()
            try cli.ok("learner", "add", "ana", "--name", "Ana")
            for value in Self.values {
                var add = ["credential", "add", "c", "--title", "C", option, value]
                if option == "--credits" { add += ["--credit-unit", "ECTS"] }
                let result = try cli.run(add)
                expectNoTrap(result, "credential add \(option) \(value)")
                if result.status == 0 {
                    try cli.ok("import", "stacks", try cli.directory.write(
                        "k.json", #"[{"code":"h","requires":{"hours":5}},{"code":"k","requires":{"all":[{"credential":"c"},{"credits":1,"unit":"ECTS"}]}}]"#))
                    try downstream(cli)
                    try cli.ok("stack", "remove", "h")
                    try cli.ok("stack", "remove", "k")
                    try cli.ok("credential", "remove", "c", "--force")
                }
                try cli.ok("credential", "add", "e", "--title", "E")
                expectNoTrap(try cli.run(["credential", "edit", "e", option, value]), "credential edit \(option) \(value)")
                try cli.ok("credential", "remove", "e", "--force")
            }
        }
    }

    @Test("--pace, --within and $CREDFOLIO_BUSY_TIMEOUT with every extreme value")
    func otherOptions() throws {
        let cli = try CLI()
        try cli.ok("learner", "add", "ana", "--name", "Ana")
        try cli.ok("credential", "add", "c", "--title", "C", "--hours", "10")
        try cli.ok("import", "stacks", try cli.directory.write("s.json", #"{"code":"s","requires":{"credential":"c"}}"#))
        for value in Self.values {
            expectNoTrap(try cli.run(["next", "ana", "s", "--pace", value]), "next --pace \(value)")
            expectNoTrap(try cli.run(["next", "ana", "--pace", value, "--format", "json"]), "next (all) --pace \(value)")
            expectNoTrap(try cli.run(["report", "expiring", "--within", value]), "report expiring --within \(value)")
            expectNoTrap(try cli.run(["learner", "add", "x", "--name", "X"], environment: ["CREDFOLIO_BUSY_TIMEOUT": value]),
                         "CREDFOLIO_BUSY_TIMEOUT=\(value)")
        }
    }

    @Test("every numeric column of the credentials CSV, and every number of a stack file, with every extreme value")
    func files() throws {
        for column in ["hours", "credits", "cost", "weeks", "validity_months"] {
            let cli = try CLI()
            try cli.ok("learner", "add", "ana", "--name", "Ana")
            for value in Self.values {
                let unit = column == "credits" ? ",credit_unit" : ""
                let file = try cli.directory.write("c.csv", "code,title,\(column)\(unit)\nc,C,\(value)\(column == "credits" ? ",ECTS" : "")\n")
                let result = try cli.run(["import", "credentials", file])
                expectNoTrap(result, "credentials.csv \(column)=\(value)")
                if result.status == 0 {
                    try cli.ok("import", "stacks", try cli.directory.write("k.json", #"{"code":"k","requires":{"credential":"c"}}"#))
                    try downstream(cli)
                    try cli.ok("stack", "remove", "k")
                    try cli.ok("credential", "remove", "c", "--force")
                }
            }
        }
        let cli = try CLI()
        try cli.ok("learner", "add", "ana", "--name", "Ana")
        try cli.ok("credential", "add", "c", "--title", "C", "--hours", "10", "--credits", "2", "--credit-unit", "ECTS")
        for value in Self.values {
            for requirement in [#"{"hours":\#(value)}"#, #"{"credits":\#(value),"unit":"ECTS"}"#,
                                #"{"choose":\#(value),"of":[{"credential":"c"}]}"#] {
                let result = try cli.run(["import", "stacks", try cli.directory.write("k.json", #"{"code":"k","requires":\#(requirement)}"#)])
                expectNoTrap(result, "stack \(requirement)")
                if result.status == 0 {
                    try downstream(cli)
                    try cli.ok("stack", "remove", "k")
                }
            }
        }
    }
}

@Suite("Hardening: numbers are never misread", .serialized)
struct MisreadNumberTests {
    @Test("a comma in a number is an error naming the field and the value, with a hint to use a dot")
    func comma() throws {
        let cli = try CLI()
        // The database exists first: a failing first command would leave none at all.
        try cli.ok("learner", "add", "x", "--name", "X")
        for value in ["49,99", "1,2,3", "0,001", "1,299.00"] {
            #expect(try cli.fails("credential", "add", "c", "--title", "C", "--cost", value)
                    == "error: cost \"\(value)\" has a comma: write decimals with a dot and no thousands separators (such as 1299.99)\n")
        }
        #expect(try cli.fails("credential", "add", "c", "--title", "C", "--hours", "1,000").contains("hours \"1,000\" has a comma"))
        #expect(try cli.fails("credential", "add", "c", "--title", "C", "--credits", "1,5", "--credit-unit", "ECTS").contains("credits \"1,5\" has a comma"))
        let file = try cli.directory.write("c.csv", "code,title,cost\nc,C,\"49,99\"\n")
        #expect(try cli.fails("import", "credentials", file)
                == "error: \(file):2: cost \"49,99\" has a comma: write decimals with a dot and no thousands separators (such as 1299.99)\n")
        #expect(try cli.ok("credential", "list", "--format", "csv") == Importer.Kind.credentials.columns.joined(separator: ",") + "\n")
    }

    @Test("a negative number on the command line reaches validation and gets its real message")
    func negative() throws {
        let cli = try CLI()
        #expect(try cli.fails("credential", "add", "c", "--title", "C", "--hours", "-3") == "error: hours \"-3\" is negative\n")
        #expect(try cli.fails("credential", "add", "c", "--title", "C", "--cost", "-5") == "error: cost \"-5\" is negative\n")
        try cli.ok("learner", "add", "ana", "--name", "Ana")
        #expect(try cli.fails("next", "ana", "--pace", "-1", status: 64).contains("pace \"-1\" must be greater than 0"))
    }
}

@Suite("Hardening: no output is lost silently, no temporary file is left", .serialized)
struct OutputLossTests {
    func learners(_ count: Int) throws -> CLI {
        let cli = try CLI()
        var csv = "handle,name,email\n"
        for i in 0..<count { csv += "l\(i),Learner number \(i),l\(i)@example.org\n" }
        try cli.ok("import", "learners", try cli.directory.write("l.csv", csv))
        return cli
    }

    @Test("a full disk on standard output, or on -o FILE, is an error naming the cause; /dev/full stays a device")
    func fullDisk() throws {
        let cli = try learners(50)
        let stdout = try cli.shell("credfolio export learners > /dev/full")
        #expect(stdout.status == 1)
        #expect(stdout.stderr == "error: cannot write to standard output: No space left on device\n")
        // -o onto a device: a copy of /dev/full of the test's own (char 1,7),
        // so that a regression that replaced the device could only harm the copy.
        let device = cli.directory.file("full")
        if mknod(device, S_IFCHR | 0o666, dev_t(1 << 8 | 7)) == 0 {  // makedev(1, 7) on Linux
            let file = try cli.shell("credfolio export learners -o full")
            #expect(file.status == 1)
            #expect(file.stderr == "error: cannot write to full: No space left on device\n")
            let type = try FileManager.default.attributesOfItem(atPath: device)[.type] as? FileAttributeType
            #expect(type == .typeCharacterSpecial)
        }
        let list = try cli.shell("credfolio learner list > /dev/full")
        #expect(list.status == 1 && list.stderr == "error: cannot write to standard output: No space left on device\n")
    }

    @Test("past a file-size limit the export fails with the cause, and -o leaves the previous file untouched")
    func fileSizeLimit() throws {
        let cli = try learners(20_000)
        try "previous\n".write(toFile: cli.directory.file("out.csv"), atomically: false, encoding: .utf8)
        let result = try cli.shell("ulimit -f 200; credfolio export learners -o out.csv")
        #expect(result.status == 1)
        #expect(result.stderr == "error: cannot write to out.csv: File too large\n")
        #expect(try String(contentsOfFile: cli.directory.file("out.csv"), encoding: .utf8) == "previous\n")
        let piped = try cli.shell("ulimit -f 200; credfolio export learners > big.csv")
        #expect(piped.status == 1 && piped.stderr == "error: cannot write to standard output: File too large\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: cli.directory.path).filter { $0.hasPrefix(".credfolio") }.isEmpty)
    }

    @Test("a reader that closes the pipe early ends credfolio quietly and at once, even with SIGPIPE ignored")
    func brokenPipe() throws {
        let cli = try learners(20_000)
        for prefix in ["", "trap '' PIPE; "] {
            let started = Date()
            let result = try cli.shell(prefix + "credfolio export learners 2>err.txt | head -1; cat err.txt")
            #expect(result.stdout == "handle,name,email,cohort,notes,created_on,emails,pace,goals\n", "\(prefix)")
            #expect(Date().timeIntervalSince(started) < 20)
            let list = try cli.shell(prefix + "credfolio learner list --format csv 2>err.txt | head -2; cat err.txt")
            #expect(list.stdout.hasPrefix("handle,name,email,cohort,notes,created_on\nl0,") && list.stdout.split(separator: "\n").count == 2)
        }
    }

    @Test("Ctrl-C during export -o FILE leaves no file behind and the previous FILE untouched or the new one whole")
    func interrupted() throws {
        let cli = try learners(60_000)
        let out = cli.directory.file("out.csv")
        let complete = try cli.ok("export", "learners")
        // SQLite's own -wal and -shm may stay after a kill, as after any crash.
        func entries() throws -> Set<String> {
            Set(try FileManager.default.contentsOfDirectory(atPath: cli.directory.path).filter { !$0.hasPrefix("credfolio.db") })
        }
        try "previous\n".write(toFile: out, atomically: false, encoding: .utf8)
        let before = try entries()
        for delay in [0.0, 0.01, 0.03, 0.06, 0.1, 0.2] {
            try "previous\n".write(toFile: out, atomically: false, encoding: .utf8)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: CLI.executable)
            process.arguments = ["export", "learners", "-o", out, "--db", cli.database]
            process.standardError = FileHandle.nullDevice
            try process.run()
            Thread.sleep(forTimeInterval: delay)
            kill(process.processIdentifier, SIGINT)
            process.waitUntilExit()
            let text = try String(contentsOfFile: out, encoding: .utf8)
            #expect(text == "previous\n" || text == complete, "interrupted after \(delay) s")
            let after = try entries()
            #expect(after == before, "interrupted after \(delay) s: \(after.subtracting(before))")
        }
    }

    @Test("exported files are created readable by their owner only, like the database")
    func privateExports() throws {
        let cli = try learners(3)
        for kind in ["learners", "awards", "progress", "stacks"] {
            let path = cli.directory.file("\(kind).out")
            try cli.ok("export", kind, "-o", path)
            let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
            #expect(mode == 0o600, "\(kind)")
        }
    }
}

/// Running as another user is how a root test (CI runs as root, which
/// ignores file modes) sees a read-only file and folder.
enum OtherUser {
    static let available = getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")
}

@Suite("Hardening: no database or file appears by surprise", .serialized)
struct SurpriseFileTests {
    @Test("a read of a missing database says so and creates nothing, not even its folders")
    func noCreationOnRead() throws {
        let cli = try CLI()
        let missing = cli.directory.file("nonexistent/dir/x.db")
        let result = try cli.run(["learner", "list", "--db", missing], useDatabase: false)
        #expect(result.status == 1 && result.stderr == "error: no database at \(missing)\n")
        #expect(!FileManager.default.fileExists(atPath: cli.directory.file("nonexistent")))
        for command in [["progress", "ana"], ["report", "cohort"], ["export", "learners"], ["doctor"], ["stack", "list"],
                        ["award", "list"], ["next", "ana"], ["backup", "b.db"]] {
            let result = try cli.run(command + ["--db", "typo.db"], useDatabase: false)
            #expect(result.stderr == "error: no database at typo.db\n", "\(command)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: cli.directory.path).isEmpty)
        // A command that writes creates it, in a folder that exists: a path someone typed never makes folders.
        #expect(try cli.run(["learner", "add", "ana", "--name", "Ana", "--db", missing], useDatabase: false).stderr
                == "error: cannot write \(missing): there is no folder \(cli.directory.file("nonexistent/dir"))\n")
        #expect(!FileManager.default.fileExists(atPath: cli.directory.file("nonexistent")))
        try FileManager.default.createDirectory(atPath: cli.directory.file("nonexistent/dir"), withIntermediateDirectories: true)
        try cli.ok("learner", "add", "ana", "--name", "Ana", "--db", missing)
        #expect(FileManager.default.fileExists(atPath: missing))
    }

    @Test("--db before the subcommand applies to it; after the subcommand it wins")
    func databaseBeforeSubcommand() throws {
        let cli = try CLI()
        try cli.ok("learner", "add", "ana", "--name", "Ana")
        let before = try cli.run(["--db", cli.database, "learner", "list", "--format", "csv"], useDatabase: false)
        #expect(before.status == 0 && before.stdout.contains("\nana,Ana,"))
        let equals = try cli.run(["--db=\(cli.database)", "learner", "list", "--format", "csv"], useDatabase: false)
        #expect(equals.stdout == before.stdout)
        let other = cli.directory.file("other.db")
        let overridden = try cli.run(["--db", cli.database, "learner", "list", "--db", other], useDatabase: false)
        #expect(overridden.stderr == "error: no database at \(other)\n")
    }

    @Test("reads work on a read-only file in a read-only folder; writes say the database is read-only",
          .enabled(if: OtherUser.available, "runs the command as nobody with setpriv, which needs root"))
    func readOnly() throws {
        let cli = try CLI()
        let folder = cli.directory.file("ro")
        let path = folder + "/x.db"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        try cli.ok("learner", "add", "ana", "--name", "Ana", "--db", path)
        try cli.ok("credential", "add", "c", "--title", "C", "--db", path)
        try cli.ok("import", "stacks", try cli.directory.write("s.json", #"{"code":"s","requires":{"credential":"c"}}"#), "--db", path)
        chown(cli.directory.path, 65_534, 65_534)
        chown(folder, 65_534, 65_534)
        chown(path, 65_534, 65_534)
        chmod(folder, 0o555)
        chmod(path, 0o444)
        defer { chmod(folder, 0o755) }
        func asNobody(_ arguments: [String]) throws -> ShellResult {
            try cli.shell("setpriv --reuid=65534 --regid=65534 --clear-groups credfolio "
                          + arguments.map { "'\($0)'" }.joined(separator: " ") + " --db '\(path)'")
        }
        let list = try asNobody(["learner", "list", "--format", "csv"])
        #expect(list.status == 0 && list.stdout.contains("\nana,Ana,"), "\(list.stderr)")
        let progress = try asNobody(["export", "progress", "--as-of", "2026-01-01"])
        #expect(progress.stdout == "learner,name,cohort,stack,percent,projected_percent,complete,requirements_met,requirements_total,missing,as_of\nana,Ana,,s,0.0,0.0,false,0,1,c,2026-01-01\n")
        let write = try asNobody(["learner", "add", "bo", "--name", "Bo"])
        #expect(write.status == 1 && write.stderr == "error: \(path) is read-only: this command changes the database\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["x.db"])
    }

    @Test("a database its owner may still write, in a folder the reader cannot write, is refused with the reason, never read as immutable",
          .enabled(if: OtherUser.available, "runs the command as nobody with setpriv, which needs root"))
    func notImmutableWhileWritable() throws {
        let cli = try CLI()
        let folder = cli.directory.file("shared")
        let path = folder + "/x.db"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        try cli.ok("learner", "add", "ana", "--name", "Ana", "--db", path)
        // The owner (root here) keeps writing; nobody may read the file and list the folder, not write them.
        chmod(cli.directory.path, 0o755)
        chmod(folder, 0o755)
        chmod(path, 0o644)
        let read = try cli.shell("setpriv --reuid=65534 --regid=65534 --clear-groups credfolio learner list --db '\(path)'")
        #expect(read.status == 1)
        #expect(read.stderr == "error: cannot read \(path) safely: its folder is read-only to you, so SQLite cannot share locks with a "
                + "process that writes it (make the folder writable, read a copy from credfolio backup, or, if no one writes it any "
                + "more, chmod a-w the file)\n")
        try cli.ok("learner", "add", "bo", "--name", "Bo", "--db", path)
    }

    @Test("restore twice within a second keeps both replaced copies; restore of the database onto itself is refused", .sqliteFile("restore replaces a SQLite file"))
    func restore() throws {
        let cli = try CLI()
        try cli.ok("learner", "add", "ana", "--name", "Ana")
        let backup = cli.directory.file("b.db")
        try cli.ok("backup", backup)
        let first = try cli.ok("restore", backup)
        let second = try cli.ok("restore", backup)
        #expect(first != second)
        let kept = try FileManager.default.contentsOfDirectory(atPath: cli.directory.path).filter { $0.contains(".before-restore-") }
        #expect(kept.count == 2)
        #expect(try cli.fails("restore", cli.database)
                == "error: \(cli.database) is the database itself: restore needs a backup made with credfolio backup\n")
    }
}

@Suite("Hardening: stacks that could hang or mislead", .serialized)
struct StackHazardTests {
    func nestedDoubling(_ depth: Int) -> String {
        var stacks = [#"{"code":"s0","requires":{"hours":1}}"#]
        for k in 1...depth { stacks.append(#"{"code":"s\#(k)","requires":{"all":[{"stack":"s\#(k - 1)"},{"stack":"s\#(k - 1)"}]}}"#) }
        return "[" + stacks.joined(separator: ",") + "]"
    }

    @Test("a stack that would expand past 10,000 requirements is refused at import, by name and size")
    func expansionRefused() throws {
        let cli = try CLI()
        try cli.ok("credential", "add", "csm", "--title", "CSM")
        let file = try cli.directory.write("s.json", nestedDoubling(30))
        #expect(try cli.fails("import", "stacks", file)
                == "error: \(file): stack s13: with nested stacks inlined it would have 16,383 requirements, more than the limit of 10,000\n")
        #expect(try cli.ok("stack", "list") == "no stacks\n" || (try cli.ok("stack", "list", "--format", "csv")).split(separator: "\n").count == 1)
    }

    @Test("a database that already holds such a stack: doctor reports it and no command hangs", .sqliteFile("writes a stack into the SQLite file by hand, past the checks"))
    func expansionInDatabase() throws {
        let cli = try CLI()
        try cli.ok("learner", "add", "ana", "--name", "Ana")
        try cli.ok("credential", "add", "csm", "--title", "CSM")
        try cli.ok("import", "stacks", try cli.directory.write("s.json", nestedDoubling(12)))
        var sql = ""
        for k in 13...30 {
            sql += "INSERT INTO stack (code, requires) VALUES ('s\(k)', '{\"all\":[{\"stack\":\"s\(k - 1)\"},{\"stack\":\"s\(k - 1)\"}]}');\n"
        }
        try tamper(cli.database, sql)
        let doctor = try cli.shell("credfolio doctor --format csv --as-of 2026-01-01", timeout: 20)
        #expect(doctor.status == 1)
        #expect(doctor.stdout.contains("stacks,problem,\"stack s13 is too large: with nested stacks inlined it has 16,383 requirements (the limit is 10,000); remove it or import a smaller version\"\n"))
        #expect(doctor.stdout.contains("stacks,problem,\"stack s30 is too large: with nested stacks inlined it has more than 1,000,000 requirements"))
        for command in ["progress ana", "next ana", "report cohort", "export progress"] {
            let result = try cli.shell("credfolio \(command)", timeout: 20)
            #expect(result.status == 1 && result.stderr.hasPrefix("error: stack s"), "\(command): \(result.stderr)")
        }
    }

    @Test("a credential required twice in a stack that is not shared is refused; one already stored shows what blocks it", .sqliteFile("writes a stack into the SQLite file by hand, past the checks"))
    func impossibleStack() throws {
        let cli = try CLI()
        try cli.ok("learner", "add", "ana", "--name", "Ana")
        try cli.ok("credential", "add", "csm", "--title", "CSM")
        try cli.ok("award", "add", "ana", "csm", "--earned", "2026-01-01")
        let file = try cli.directory.write("d.json", #"{"code":"d","requires":{"all":[{"credential":"csm"},{"credential":"csm"}]}}"#)
        #expect(try cli.fails("import", "stacks", file) == "error: \(file): stack d can never be complete: credential csm is required more than once, and one award meets one requirement (name it once, or set \"shared\": true to let one award count for several)\n")
        // Shared, it is fine; a choice between two branches that both name it is fine too.
        try cli.ok("import", "stacks", try cli.directory.write("ok.json", #"""
            [{"code":"shared","shared":true,"requires":{"all":[{"credential":"csm"},{"credential":"csm"}]}},
             {"code":"either","requires":{"choose":1,"of":[{"credential":"csm"},{"all":[{"credential":"csm"}]}]}}]
            """#))
        try tamper(cli.database, #"INSERT INTO stack (code, requires) VALUES ('d', '{"all":[{"credential":"csm"},{"credential":"csm"}]}')"#)
        let row = try cli.ok("report", "cohort", "--stack", "d", "--as-of", "2026-06-01", "--format", "csv").split(separator: "\n")[1]
        #expect(row == "ana,Ana,,d,50.0,50.0,false,again:csm,2026-01-01,true,,,")
        #expect(try cli.run(["doctor", "--format", "csv"]).stdout.contains(
            "stacks,problem,stack d can never be complete: credential csm is required more than once in a stack that is not shared\n"))
    }

    @Test("an award whose credential is gone, or whose status is unknown, is an error, not catalog entry 0 or 'planned'", .sqliteFile("writes rows into the SQLite file by hand, past the checks"))
    func silentDefaults() throws {
        let cli = try CLI()
        try cli.ok("learner", "add", "ana", "--name", "Ana")
        try cli.ok("credential", "add", "c", "--title", "C")
        try cli.ok("import", "stacks", try cli.directory.write("s.json", #"{"code":"s","requires":{"credential":"c"}}"#))
        try tamper(cli.database, "PRAGMA foreign_keys = OFF; INSERT INTO award (learner_id, credential_id, status, earned_on) VALUES (1, 99, 'earned', '2026-01-01')")
        #expect(try cli.fails("progress", "ana") == "error: an award refers to credential id 99, which does not exist; run credfolio doctor\n")
        try tamper(cli.database, "DELETE FROM award; PRAGMA ignore_check_constraints = ON; INSERT INTO award (learner_id, credential_id, status) VALUES (1, 1, 'lost')")
        #expect(try cli.fails("award", "list") == "error: award 1 has the unknown status \"lost\"; run credfolio doctor\n")
        #expect(try cli.fails("progress", "ana") == "error: an award has the unknown status \"lost\"; run credfolio doctor\n")
    }
}

@Suite("Hardening: small things a new user hits", .serialized)
struct NewUserTests {
    @Test("an empty table round-trips: export writes the header, and a header-only file imports nothing")
    func emptyTable() throws {
        let cli = try CLI()
        try cli.ok("learner", "add", "ana", "--name", "Ana")
        for kind in ["learners", "skills", "credentials", "awards"] where kind != "learners" {
            let file = cli.directory.file("\(kind).csv")
            try cli.ok("export", kind, "-o", file)
            #expect(try cli.ok("import", kind, file) == "imported 0 \(kind): 0 new, 0 updated, 0 unchanged\n")
        }
    }

    @Test("Excel's trailing empty header cells are accepted while their cells are empty")
    func trailingEmptyColumns() throws {
        let cli = try CLI()
        let file = try cli.directory.write("c.csv", "code,title,,,\r\nc1,One,,,\r\nc2,Two,,,\r\n")
        #expect(try cli.ok("import", "credentials", file) == "imported 2 credentials: 2 new, 0 updated, 0 unchanged\n")
        let bad = try cli.directory.write("d.csv", "code,title,,\nc3,Three,,x\n")
        #expect(try cli.fails("import", "credentials", bad) == "error: \(bad):2: column 4 has no name in the header but holds a value; name it or remove it\n")
    }

    @Test("a filter that matches nothing says so on stderr, lists the cohorts, and still exits 0 with the CSV header")
    func emptyFilter() throws {
        let cli = try CLI()
        try cli.ok("learner", "add", "ana", "--name", "Ana", "--cohort", "spring-26")
        try cli.ok("learner", "add", "bo", "--name", "Bo", "--cohort", "fall-26")
        let result = try cli.run(["report", "cohort", "--cohort", "nosuch", "--format", "csv"])
        #expect(result.status == 0)
        #expect(result.stderr == "note: no learner is in cohort \"nosuch\"; cohorts: fall-26, spring-26\n")
        #expect(result.stdout == "learner,name,cohort,stack,percent,projected_percent,complete,missing,last_earned_on,stalled,target_date,estimated_finish,goal_status\n")
        let listed = try cli.run(["learner", "list", "--cohort", "Spring-26"])
        #expect(listed.stderr == "note: no learner is in cohort \"Spring-26\"; did you mean spring-26?; cohorts: fall-26, spring-26\n")
    }

    @Test("a handle or code that is not found suggests the one that differs only in case")
    func didYouMean() throws {
        let cli = try CLI()
        try cli.ok("learner", "add", "ana", "--name", "Ana")
        try cli.ok("credential", "add", "aws-ccp", "--title", "AWS")
        try cli.ok("skill", "add", "cloud", "--name", "Cloud")
        #expect(try cli.fails("learner", "show", "ANA") == "error: no learner \"ANA\"; did you mean ana?\n")
        #expect(try cli.fails("credential", "show", "AWS-CCP") == "error: no credential \"AWS-CCP\"; did you mean aws-ccp?\n")
        #expect(try cli.fails("skill", "show", "Cloud") == "error: no skill \"Cloud\"; did you mean cloud?\n")
        #expect(try cli.fails("learner", "show", "zed") == "error: no learner \"zed\"\n")
    }

    @Test("one of a thing is singular: imported 1 stack, 1 award")
    func plurals() throws {
        let cli = try CLI()
        try cli.ok("learner", "add", "ana", "--name", "Ana")
        try cli.ok("credential", "add", "c", "--title", "C")
        #expect(try cli.ok("import", "stacks", try cli.directory.write("s.json", #"{"code":"s","requires":{"credential":"c"}}"#))
                == "imported 1 stack: 1 new, 0 updated, 0 unchanged\n")
        #expect(try cli.ok("import", "awards", try cli.directory.write("a.csv", "learner,credential,earned_on\nana,c,2026-01-01\n"))
                == "imported 1 award: 1 new, 0 updated, 0 unchanged\n")
    }

    @Test("the README's quick start, and the badges and catalog sessions after it, run as written, on a new database")
    func quickStart() throws {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        let section = try #require(text.components(separatedBy: "## Quick start").dropFirst().first)
        let block = try #require(section.components(separatedBy: "```sh\n").dropFirst().first?.components(separatedBy: "```").first)
        let cli = try CLI()
        let result = try cli.shell("set -e\n" + block)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr == "")
        #expect(result.stdout.contains("cloud-security"))
        let progress = try String(contentsOfFile: cli.directory.file("progress.csv"), encoding: .utf8)
        #expect(progress.hasPrefix("learner,name,cohort,stack,percent,"))
        #expect(progress.contains("sarah,Sarah Chen,spring-26,cloud-security,"))
        // The badges section continues the quick start, in the same folder.
        let badges = try #require(text.components(separatedBy: "## Badges and CLR").dropFirst().first?
            .components(separatedBy: "```sh\n").dropFirst().first?.components(separatedBy: "```").first)
        let continued = try cli.shell("set -e\n" + badges)
        #expect(continued.status == 0, "\(continued.stderr)")
        #expect(continued.stdout.contains("\"verification\": \"not verified: the credential is not signed\""))
        #expect(FileManager.default.fileExists(atPath: cli.directory.file("aws-ccp.json")))
        // The catalog session continues it too: a CTDL file, imported, and a plan that takes the prerequisite.
        let catalog = try #require(text.components(separatedBy: "## Catalogs from the registry").dropFirst().first?
            .components(separatedBy: "```sh\n").dropFirst().first?.components(separatedBy: "```").first)
        let imported = try cli.shell("set -e\n" + catalog)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("dry run: nothing was stored\n"))
        #expect(imported.stdout.contains("prerequisites:      needs help-desk-fundamentals\n"))
        #expect(imported.stdout.contains("help-desk-fundamentals   Help Desk Fundamentals      30  120.00      4  prerequisite of help-desk-certification\n"))
        #expect(imported.stdout.contains("total                                                90  370.00     13\n"), "\(imported.stdout)")
    }
}
