import CPosix

/// Ctrl-C (SIGINT), SIGTERM or SIGHUP, deferred while a command writes many
/// files that must each stay whole (a site's pages): the command checks
/// ``requested`` between files, stops there by throwing an
/// ``Interruption``, and the command line then ends the process as the
/// signal would have.
public struct Interruption: Error, Sendable {
    public let signal: Int32

    /// Notes the three signals from now on instead of ending at once.
    public static func deferSignals() {
        credfolio_defer_interrupts()
    }

    /// Throws when one of them arrived since ``deferSignals()``.
    public static func check() throws(Interruption) {
        let signal = credfolio_interrupt_requested()
        if signal != 0 { throw Interruption(signal: signal) }
    }

    /// Ends the process as the signal would have (status 128 + its number).
    public func end() -> Never {
        credfolio_end_by_signal(signal)
    }
}
