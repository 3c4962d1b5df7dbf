/// How wide text shows in a terminal, in columns, so that tables align:
/// a character (a grapheme cluster) of East Asian wide or fullwidth
/// script, or an emoji shown as one, takes two columns; one that is only
/// combining marks or format characters takes none; every other, one.
public enum DisplayWidth {
    /// The widest a table's cell is shown; a wider one is cut, with `…`.
    public static let tableCell = 80

    public static func of(_ text: String) -> Int {
        let utf8 = text.utf8
        if utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return utf8.count }
        return text.reduce(0) { $0 + of($1) }
    }

    public static func of(_ character: Character) -> Int {
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return 0 }
        if first.properties.isEmojiPresentation || (first.properties.isEmoji && scalars.contains("\u{FE0F}")) { return 2 }
        switch first.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format, .control: return 0
        default: return isWide(first.value) ? 2 : 1
        }
    }

    /// East Asian Wide and Fullwidth code points (Unicode's
    /// EastAsianWidth.txt, W and F), by block.
    public static func isWide(_ value: UInt32) -> Bool {
        switch value {
        case 0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF,
             0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19,
             0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x16FE0...0x18CFF, 0x1B000...0x1B2FF, 0x1F200...0x1F2FF,
             0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return true
        default:
            return false
        }
    }

    /// `text`, cut to at most `columns` columns: its first characters, and
    /// `…` (one column) where it was cut.
    public static func cut(_ text: String, to columns: Int) -> String {
        // Fast: a text of at most `columns` bytes is at most `columns` columns wide.
        guard text.utf8.count > columns, of(text) > columns else { return text }
        var kept = "", width = 0
        for character in text {
            let next = of(character)
            if width + next > columns - 1 { break }
            kept.append(character)
            width += next
        }
        return kept + "…"
    }
}
