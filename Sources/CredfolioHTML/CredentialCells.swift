import CredfolioStore
import CredfolioCore
import CredfolioEngine
import CredfolioSystem
import CredfolioApp
/// The first cells of a portfolio page's credentials table (code, title or
/// link, issuer), which the catalog alone decides: rendered once per
/// credential by a site's thread, then copied into every page that lists
/// the credential. One per thread, never shared, so it needs no lock.
/// Memory holds one short fragment per credential of the catalog.
final class CredentialCells {
    private var cells: [[UInt8]?]
    private var scratch = HTML()

    init(credentials: Int) {
        cells = Array(repeating: nil, count: credentials)
    }

    /// Writes credential `index`'s cells: kept ones, or rendered by `render` and kept.
    func write(_ html: inout HTML, _ index: Int, _ render: (inout HTML) -> Void) {
        guard cells.indices.contains(index) else { return render(&html) }
        if let known = cells[index] { return html.rendered(known[...]) }
        scratch.removeAll()
        render(&scratch)
        cells[index] = scratch.exactBytes
        html.rendered(scratch)
    }
}
