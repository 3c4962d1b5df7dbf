import CredfolioStore
import CredfolioCore
import CredfolioEngine
import CredfolioSystem
import CredfolioApp

/// Charts drawn as inline SVG, each with its numbers in text as well.
enum HTMLCharts {
    /// A stack's percents in eleven bars (0–9.9 … 90–99.9, and 100), the
    /// count above each bar, and the whole in words for screen readers.
    static func histogram(_ html: inout HTML, _ h: PercentHistogram, stack: String) {
        let bins = h.deciles
        let top = max(1, bins.max() ?? 1)
        let barWidth = 22, gap = 3, chart = 44, labels = 12, axis = 12
        let width = bins.count * (barWidth + gap), height = labels + chart + axis
        let names = (0..<10).map { "\($0 * 10)–\($0 * 10 + 9).9%" } + ["100%"]
        let words = zip(names, bins).map { "\($0): \($1)" }.joined(separator: ", ")
        html.open("svg", ["width": "\(width)", "height": "\(height)", "viewBox": "0 0 \(width) \(height)", "role": "img",
                          "aria-label": "Learners on \(stack) by percent: \(words)"])
        for (i, count) in bins.enumerated() {
            let x = i * (barWidth + gap)
            let barHeight = count == 0 ? 0 : max(2, count * chart / top)
            html.open("rect", ["x": "\(x)", "y": "\(labels + chart - barHeight)", "width": "\(barWidth)", "height": "\(barHeight)",
                               "fill": i == 10 ? "#1d5b26" : "#0b57a4"])
            html.close("rect")
            html.open("text", ["x": "\(x + barWidth / 2)", "y": "\(labels + chart - barHeight - 2)", "font-size": "9",
                               "text-anchor": "middle", "fill": "#1b1f24"])
            html.number(count)
            html.close("text")
        }
        html.open("line", ["x1": "0", "y1": "\(labels + chart)", "x2": "\(width)", "y2": "\(labels + chart)", "stroke": "#5d6b78"])
        html.close("line")
        for (i, label) in ["0", "50", "100"].enumerated() {
            let x = [0, 5, 10][i] * (barWidth + gap) + barWidth / 2
            html.open("text", ["x": "\(x)", "y": "\(height - 1)", "font-size": "9", "text-anchor": "middle", "fill": "#4a5560"])
            html.text(label)
            html.close("text")
        }
        html.close("svg")
    }
}
