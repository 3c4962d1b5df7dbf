extension StringProtocol {
    /// The text without white space (Unicode's, which includes CR, LF and
    /// tabs) at either end.
    public func trimmingSpaces() -> String {
        var scalars = Substring(self)
        while scalars.first?.isWhitespace == true { scalars.removeFirst() }
        while scalars.last?.isWhitespace == true { scalars.removeLast() }
        return String(scalars)
    }
}
