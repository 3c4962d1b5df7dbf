import CPQ
import CredfolioCore

/// Rows in the text format of `COPY … FROM STDIN`: fields apart by tabs,
/// rows ended by a line feed, `\N` for NULL, and a backslash before each
/// backslash, tab, line feed and carriage return inside a field.
public struct CopyRows {
    public private(set) var bytes: [UInt8] = []
    private var first = true
    public private(set) var count = 0

    public init() {}

    public mutating func text(_ value: String?) {
        separate()
        guard let value else { bytes += [UInt8(ascii: "\\"), UInt8(ascii: "N")]; return }
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0x09: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0x0A: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0D: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            default: bytes.append(byte)
            }
        }
    }

    public mutating func integer(_ value: Int64?) {
        separate()
        if let value { bytes += Array(String(value).utf8) } else { bytes += [UInt8(ascii: "\\"), UInt8(ascii: "N")] }
    }

    public mutating func endRow() {
        bytes.append(0x0A)
        first = true
        count += 1
    }

    public mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        first = true
        count = 0
    }

    private mutating func separate() {
        if !first { bytes.append(0x09) }
        first = false
    }
}

extension PostgresConnection {
    /// Runs `sql`, a `COPY … FROM STDIN` in the text format, with `rows` as
    /// its input; returns how many rows the server took.
    @discardableResult
    public func copy(_ sql: String, _ rows: CopyRows) throws(PostgresError) -> Int {
        guard let started = library.exec(handle, sql) else {
            throw PostgresError(message: PostgresError.text(library.errorMessage(handle)), sqlState: nil)
        }
        let status = library.resultStatus(started)
        guard status == PGRES_COPY_IN else {
            defer { library.clear(started) }
            throw error(of: started)
        }
        library.clear(started)
        let sent = rows.bytes.withUnsafeBufferPointer { buffer -> Int32 in
            guard let base = buffer.baseAddress, buffer.count > 0 else { return 1 }
            return base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                library.putCopyData(handle, $0, Int32(buffer.count))
            }
        }
        let ended = library.putCopyEnd(handle, sent == 1 ? nil : "the rows could not be sent")
        var failure: PostgresError?
        if sent != 1 || ended != 1 {
            failure = PostgresError(message: PostgresError.text(library.errorMessage(handle)), sqlState: nil)
        }
        // The COPY's own result, then the end of the command.
        while let result = library.getResult(handle) {
            if library.resultStatus(result) != PGRES_COMMAND_OK && failure == nil { failure = error(of: result) }
            library.clear(result)
        }
        if let failure { throw failure }
        return rows.count
    }
}
