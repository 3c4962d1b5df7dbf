import CSQLite

extension Database {
    /// Copies this whole database into `destination` with SQLite's online
    /// backup API, in one step: a consistent snapshot even while other
    /// connections write (they wait, or the copy sees their commit whole).
    public func backup(to destination: Database) throws {
        guard let backup = sqlite3_backup_init(destination.handle, "main", handle, "main") else {
            throw DatabaseError(connection: destination.handle, code: sqlite3_errcode(destination.handle))
        }
        // Busy waits are bounded like every other writer's: by the busy
        // timeout, then SQLITE_BUSY is the answer.
        var code: Int32
        var waited: Int32 = 0
        repeat {
            code = sqlite3_backup_step(backup, -1)
            if code == SQLITE_BUSY || code == SQLITE_LOCKED {
                if waited >= busyTimeoutMilliseconds { break }
                sqlite3_sleep(20)
                waited += 20
            }
        } while code == SQLITE_OK || code == SQLITE_BUSY || code == SQLITE_LOCKED
        let finish = sqlite3_backup_finish(backup)
        guard code == SQLITE_DONE, finish == SQLITE_OK else {
            throw DatabaseError(connection: destination.handle, code: code == SQLITE_DONE ? finish : code)
        }
    }

    /// `PRAGMA integrity_check`: an empty list when the file is sound.
    public func integrityProblems() throws -> [String] {
        let rows = try prepare("PRAGMA integrity_check").map { $0.string(0) }
        return rows == ["ok"] ? [] : rows
    }

    /// `PRAGMA foreign_key_check`, one line per broken reference.
    public func foreignKeyProblems() throws -> [String] {
        try prepare("PRAGMA foreign_key_check").map { row in
            "\(row.string(0)) row \(row.int64(1)) refers to a missing \(row.string(2)) row"
        }
    }
}
