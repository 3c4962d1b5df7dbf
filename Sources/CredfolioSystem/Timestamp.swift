#if canImport(Glibc)
import Glibc
#endif

/// The clock, as credfolio writes it.
public enum Timestamp {
    /// Now, in UTC, as ISO 8601: `2026-11-29T08:45:12Z`.
    public static func now() -> String {
        let p = parts(local: false)
        return "\(p.year)-\(p.month)-\(p.day)T\(p.hour):\(p.minute):\(p.second)Z"
    }

    /// Now, in local time, for a file name: `20261129-084512`.
    public static func compactLocal() -> String {
        let p = parts(local: true)
        return "\(p.year)\(p.month)\(p.day)-\(p.hour)\(p.minute)\(p.second)"
    }

    /// Now's fields, in local time or UTC, two digits each but the year.
    private static func parts(local: Bool) -> (year: String, month: String, day: String, hour: String, minute: String, second: String) {
        var now = time(nil)
        var fields = tm()
        if local { localtime_r(&now, &fields) } else { gmtime_r(&now, &fields) }
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return (String(fields.tm_year + 1900), two(fields.tm_mon + 1), two(fields.tm_mday), two(fields.tm_hour), two(fields.tm_min),
                two(fields.tm_sec))
    }
}
