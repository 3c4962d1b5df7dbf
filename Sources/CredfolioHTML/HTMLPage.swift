import CredfolioStore
import CredfolioApp
import CredfolioCore
import CredfolioSystem
import CredfolioEngine

/// The frame of every generated page: a `Content-Security-Policy` that
/// forbids scripts and every remote load, inline CSS with a print style,
/// `lang`, and a title that names the learner or the cohort. Pages have no
/// clock in them: the same database and as-of date give the same bytes.
enum HTMLPage {
    /// No scripts, no fetches, no frames, no images from anywhere: only the
    /// inline style sheet (inline SVG needs no permission).
    static let policy = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
    // 'unsafe-inline' for styles covers the style sheet and the bars' widths; scripts stay forbidden.

    /// Colours meet WCAG AA on white: body text 16:1, muted text 7.4:1,
    /// links and bars 7.1:1, flags 7:1 or more on their tints; every bar
    /// has its number beside it, and every flag is a word, not a colour.
    static let style: StaticString = """
        :root{color:#1b1f24;background:#fff;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
        body{margin:0 auto;max-width:72rem;padding:1.5rem}
        h1{font-size:1.6rem;margin:0 0 .25rem}h2{font-size:1.25rem;margin:2rem 0 .5rem;border-bottom:1px solid #c9d1d9}
        h3{font-size:1.05rem;margin:1.25rem 0 .25rem}
        a{color:#0b57a4}.muted{color:#4a5560}
        table{border-collapse:collapse;margin:.5rem 0;width:100%}
        th,td{border-bottom:1px solid #d8dee4;padding:.3rem .5rem;text-align:left;vertical-align:top}
        th{background:#eef1f4}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
        .bar{display:inline-block;position:relative;width:160px;height:12px;background:#dfe5ec;border:1px solid #5d6b78;
        vertical-align:middle;margin-right:.4rem;print-color-adjust:exact;-webkit-print-color-adjust:exact}
        .bar i{position:absolute;left:0;top:0;bottom:0;background:#0b57a4;print-color-adjust:exact;-webkit-print-color-adjust:exact}
        .bar i.p{background:#8fb3dd}
        .flag{display:inline-block;border:1px solid currentColor;border-radius:3px;padding:0 .3rem;font-size:.85rem;margin-right:.25rem}
        .flag.stalled{color:#7a3e00;background:#fff3e0}.flag.off{color:#8b0000;background:#fdecea}
        .flag.on{color:#1d5b26;background:#e8f5e9}.flag.done{color:#1d5b26;background:#e8f5e9}.flag.unknown{color:#4a5560;background:#f1f3f5}
        ul.tree,ul.tree ul{list-style:none;padding-left:1.1rem;margin:.25rem 0}ul.tree li{margin:.15rem 0}
        ul.tree small{font-size:inherit;color:#4a5560}
        .met{color:#1d5b26}.unmet{color:#8b0000}.mark{color:#7a3e00;font-weight:600}
        nav.sort > *{margin-right:.75rem}
        footer{margin-top:3rem;color:#4a5560;font-size:.85rem}
        @media print{:root{font-size:11pt}body{max-width:none;padding:0}a{color:inherit;text-decoration:none}
        nav{display:none}h2{break-after:avoid}tr,li,svg{break-inside:avoid}th{background:none}}
        """

    /// Opens a page: everything up to and including `<body>`.
    static func begin(_ html: inout HTML, title: String) {
        html.raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        html.open("meta", ["http-equiv": "Content-Security-Policy", "content": policy])
        html.raw("\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"referrer\" content=\"no-referrer\">\n")
        html.element("title", text: title)
        html.raw("\n<style>\n")
        html.raw(style)
        html.raw("\n</style>\n</head>\n<body>\n")
    }

    /// Closes a page, with a footer that says what made it and as of when.
    static func end(_ html: inout HTML, asOf day: Day) {
        html.raw("<footer>Written by credfolio ")
        html.text(CredfolioVersion.current)
        html.raw(", as of ")
        html.text(day.description)
        html.raw(". Open offline, print, or mail it: this page loads nothing.</footer>\n</body>\n</html>\n")
    }

    /// A progress bar, with its numbers beside it in text: the percent
    /// done, and the projected percent when it is higher. Two spans, so
    /// that a table of thousands of bars stays small. The bar is hidden
    /// from assistive technology: the text beside it says all it shows,
    /// and a screen reader would otherwise read each number twice.
    static func bar(_ html: inout HTML, percent: Double, projected: Double) {
        let done = ProgressFormatting.percent(percent), ahead = projected > percent
        let later = ahead ? ProgressFormatting.percent(projected) : ""
        // The bytes `open`, `close` and `element` would write, without building the attribute strings first.
        html.raw("<span class=\"bar\" aria-hidden=\"true\">")
        if ahead {
            html.raw("<i class=\"p\" style=\"width:")
            html.text(later)
            html.raw("%\"></i><i style=\"width:")
        } else {
            html.raw("<i style=\"width:")
        }
        html.text(done)
        html.raw("%\"></i></span><span class=\"num\">")
        html.text(done)
        html.raw("%</span>")
        if ahead {
            html.raw("<span class=\"muted\"> (projected ")
            html.text(later)
            html.raw("%)</span>")
        }
    }

    /// A stack's requirement tree as nested lists; `item` writes what each
    /// requirement says, before its children.
    ///
    /// The walk is a loop over an explicit path, not a recursive function:
    /// a recursive one, specialised for a caller's `item`, copied what
    /// `item` captured (a whole `StackProgress`) at every requirement.
    static func tree(_ html: inout HTML, _ stack: CompiledStack, item: (inout HTML, Int) -> Void) {
        let nodes = stack.nodes
        // Each open requirement with children, and which of its children comes next.
        var path: [(node: Int, next: Int)] = []
        // Writes a requirement's item, then closes it (a leaf) or opens its list of children.
        func open(_ id: Int) {
            html.raw("<li>")
            item(&html, id)
            if nodes[id].children.isEmpty {
                html.raw("</li>\n")
            } else {
                html.raw("\n<ul>")
                path.append((id, 0))
            }
        }
        html.raw("<ul class=\"tree\">")
        open(stack.root)
        while let top = path.last {
            let children = nodes[top.node].children
            if top.next < children.count {
                path[path.count - 1].next = top.next + 1
                open(children[top.next])
            } else {
                path.removeLast()
                html.raw("</ul></li>\n")
            }
        }
        html.raw("</ul>\n")
    }

    /// A flag in words: `stalled`, `off track`, `on track`, `done`.
    /// The words are this program's own, written as markup is.
    static func flag(_ html: inout HTML, _ kind: StaticString, _ words: StaticString) {
        html.raw("<span class=\"flag ")
        html.raw(kind)
        html.raw("\">")
        html.raw(words)
        html.raw("</span>")
    }

    /// A flag whose words are made at run time, written as text. (Not
    /// shared with the one above through a closure: that cost every row of
    /// the site 12 M instructions, callgrind at 20,000 learners.)
    static func flag(_ html: inout HTML, _ kind: StaticString, text: String) {
        html.raw("<span class=\"flag ")
        html.raw(kind)
        html.raw("\">")
        html.text(text)
        html.raw("</span>")
    }
}
