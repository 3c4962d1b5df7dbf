import CredfolioCore
import CredfolioSystem
public import CredfolioEngine
public import CredfolioApp
public import CredfolioStore

/// One learner's portfolio as a self-contained page: each stack (or goal)
/// with its bar and explained requirement tree, the next-best plan for each
/// incomplete goal, a timeline of credentials, and the credentials with
/// their issuer, dates, evidence and badge verification. Every number is the
/// one `progress`, `next` and `award list` show: the page computes nothing
/// of its own.
public final class PortfolioPage {
    let context: LearnerPortfolio
    /// The stacks shown, each with the learner's goal for it, if any, in the portfolio's order.
    let shown: [Shown]
    /// Positions in `shown`, closest to done first: the order the page shows them in. Entries are
    /// reached by position, here and below, never copied (a copy retains and releases each of their parts).
    let order: [Int]
    /// The least-hours plan of each incomplete goal, by stack code.
    let plans: [String: PlanResult]
    let awards: [AwardRecord]
    /// Badge verification, by award id.
    let verifications: [Int64: String]
    /// Inside a site: links to the stack pages and the index, one folder down.
    let inSite: Bool
    /// Sections other learners' pages of the same site rendered already.
    let cache: SectionCache?
    /// Credentials-table cells this thread of a site rendered already.
    let cells: CredentialCells?
    /// What the learner holds on the page's day, and in projection.
    let held: HeldSet, projected: HeldSet
    /// The learner's lapsed and unfinished credentials (catalog indices): what a mark can name.
    let marked: [Int]

    /// A stack on the page: its progress, computed for this learner, or
    /// its section as another learner with the same progress key had it.
    struct Shown {
        let stack: CompiledStack
        /// Its position in the portfolio's stacks: what the section cache knows it by.
        let position: Int
        let goal: LearnerGoal?
        let percent: Double, projected: Double
        /// Begun, or a goal: a section with a tree, not a row of the "not started" table.
        let started: Bool
        let progress: StackProgress?
        let cached: SectionCache.Section?
        /// Its body, when the cache kept one for its key when the page was made.
        let body: SectionCache.Body?
        /// The key its shared parts are kept by (nil: the section is this learner's own).
        let key: ProgressKey?
        var code: String { stack.definition.code }
    }

    /// `awards` are the learner's as `award list` gives them, and
    /// `verifications` their badges' verification, by award id.
    /// `holdings`, when given, are the learner's as their rows worked them
    /// out (a site): what they hold, and each stack's progress key.
    init(context: LearnerPortfolio, stacks codes: [String], solver: any MILPSolver, inSite: Bool, cache: SectionCache? = nil,
         cells: CredentialCells? = nil, awards: [AwardRecord], verifications: [Int64: String],
         holdings: CohortRows.Holdings? = nil) throws {
        self.context = context
        self.inSite = inSite
        self.cache = cache
        self.cells = cells
        let catalog = context.catalog
        let held = holdings?.held ?? context.held(), projected = holdings?.projected ?? context.held(projected: true)
        // The rows' keys, one per stack of this portfolio (none for a learner with goals).
        let knownKeys = holdings.map { $0.keys.count == context.portfolio.stacks.count ? $0.keys : [] } ?? []
        self.held = held
        self.projected = projected
        marked = Array(context.standing.lapsed.keys) + Array(context.standing.underWay.keys)
        let all = context.portfolio.stacks
        var positions = context.shownStackPositions(allStacks: false)
        if !codes.isEmpty { positions = positions.filter { codes.contains(all[$0].definition.code) } }
        // A section is shared unless it is a goal's (with the learner's target, status and plan).
        let heldMembers = cache == nil || !knownKeys.isEmpty ? [] : held.members
        let projectedMembers = cache == nil || !knownKeys.isEmpty ? [] : projected == held ? heldMembers : projected.members
        // Each shared stack's key (a goal's has none), then what the cache keeps for them all, asked at once.
        var keys: [ProgressKey?] = []
        var requests: [(position: Int, key: ProgressKey)] = []
        keys.reserveCapacity(positions.count)
        for position in positions {
            let stack = all[position]
            var key: ProgressKey?
            if cache != nil, !context.goals.contains(where: { $0.stack == stack.definition.code }) {
                key = knownKeys.isEmpty ? stack.progressKey(held: heldMembers, projected: projectedMembers, catalog: catalog) : knownKeys[position]
                if let key { requests.append((position, key)) }
            }
            keys.append(key)
        }
        let found = cache?.lookUp(requests) ?? []
        var next = 0
        var shown: [Shown] = []
        shown.reserveCapacity(positions.count)
        for (n, position) in positions.enumerated() {
            let stack = all[position]
            var body: SectionCache.Body?
            if let key = keys[n] {
                let kept = found[next]
                next += 1
                body = kept.body
                if let section = kept.section {
                    shown.append(Shown(stack: stack, position: position, goal: nil, percent: section.percent, projected: section.projected,
                                       started: section.started, progress: nil, cached: section, body: body, key: key))
                    continue
                }
            }
            let goal = keys[n] == nil ? context.goals.first { $0.stack == stack.definition.code } : nil
            let p = stack.progress(held: held, projected: projected, catalog: catalog)
            shown.append(Shown(stack: stack, position: position, goal: goal, percent: p.percent, projected: p.projectedPercent,
                               started: goal != nil || p.current.value > Evaluation.epsilon || p.projected.value > Evaluation.epsilon,
                               progress: p, cached: nil, body: body, key: keys[n]))
        }
        // Closest to done first, as `progress` ranks them: positions are sorted, not the entries (each a retain and release of its parts).
        let stackCodes = shown.map(\.code)
        let order = shown.indices.sorted {
            ProgressFormatting.ranksBefore((shown[$0].percent, shown[$0].projected, stackCodes[$0]),
                                           (shown[$1].percent, shown[$1].projected, stackCodes[$1]))
        }
        self.shown = shown
        self.order = order
        var plans: [String: PlanResult] = [:]
        // Only a goal not yet complete has a plan; most learners of a site have none.
        var marks: PlanMarks?
        for i in order where shown[i].goal != nil {
            guard let p = shown[i].progress, !p.complete else { continue }
            let planMarks = marks ?? PlanMarks(context: context)
            marks = planMarks
            var options = PlanOptions(measure: .hours)
            options.pace = context.learner.pace
            // What lapses before the finish is renewed in the plan: report cohort's and next's rule.
            let outcome = try LapsesBeforeFinish.plan(p.stack, held: held, facts: context.facts, catalog: catalog, on: context.day,
                                                      pace: context.learner.pace, options: options, solver: solver)
            plans[p.code] = try PlanResult(stack: p.stack, progress: p.current, plan: outcome.plan, catalog: catalog,
                                           pace: context.learner.pace, measure: .hours, marks: planMarks, lapsing: outcome.lapsing)
        }
        self.plans = plans
        self.awards = awards
        self.verifications = verifications
    }

    /// The progress this page worked out (for stacks whose sections were
    /// not kept), each at its stack's position in the portfolio: for the
    /// learner's rows, which need the same.
    func handProgress(to worked: inout [StackProgress?]) {
        for entry in shown where entry.position < worked.count {
            if let p = entry.progress { worked[entry.position] = p }
        }
    }

    var title: String { "\(context.learner.name): credentials and progress" }

    /// One learner's portfolio as a self-contained page: `awards` are the
    /// learner's as `award list` gives them, `verifications` their badges'
    /// verification by award id; `stacks` narrows the stacks shown.
    public static func page(_ context: LearnerPortfolio, stacks: [String], solver: any MILPSolver, awards: [AwardRecord],
                            verifications: [Int64: String]) throws -> [UInt8] {
        try PortfolioPage(context: context, stacks: stacks, solver: solver, inSite: false, awards: awards,
                          verifications: verifications).render().bytes
    }

    func render() -> HTML {
        var html = HTML()
        render(into: &html)
        return html
    }

    /// Appends the page to `html`: a site renders every learner's page into
    /// one buffer, emptied in between, instead of growing a new one each time.
    func render(into html: inout HTML) {
        let learner = context.learner
        HTMLPage.begin(&html, title: title)
        if inSite {
            html.raw("<nav>")
            html.internalLink(SitePath("../index.html"), "← cohort overview")
            html.raw("</nav>\n")
        }
        html.raw("<main>\n")
        html.element("h1", text: learner.name)
        html.raw("<p class=\"muted\">")
        html.text(learner.handle + (learner.cohort.map { " · cohort " + $0 } ?? "") + " · as of " + context.day.description)
        html.raw("</p>\n")
        stacks(&html)
        timeline(&html)
        credentials(&html)
        html.raw("</main>\n")
        HTMLPage.end(&html, asOf: context.day)
    }

    private func stacks(_ html: inout HTML) {
        html.element("h2", text: context.goals.isEmpty || shown.indices.allSatisfy({ shown[$0].goal == nil }) ? "Stacks" : "Goals")
        if shown.isEmpty { html.element("p", text: "No stacks to show.") }
        // A stack the learner has not started, and does not aim at, needs no tree: every requirement is missing.
        for i in order where shown[i].started { sharedSection(&html, i) }
        let waiting = order.filter { !shown[$0].started }
        guard !waiting.isEmpty else { return }
        html.element("h3", text: "Not started")
        html.raw("""
            <table><thead><tr><th scope="col">stack</th><th scope="col">title</th><th scope="col">progress</th>\
            <th scope="col" class="num">requirements</th></tr></thead><tbody>

            """)
        for i in waiting { sharedPart(&html, i) { waitingRow(&$0, i, $1) } }
        html.raw("</tbody></table>\n")
    }

    /// Writes a begun stack's section as ``section(_:_:_:_:)`` does: its
    /// heading and bar copied from the cache (or rendered and kept), then
    /// its body copied from the cache with the learner's marks and totals
    /// filled in (or rendered with holes, kept and filled in); or, when the
    /// section is the learner's own, rendered whole.
    private func sharedSection(_ html: inout HTML, _ i: Int) {
        guard let cache, let key = shown[i].key else {
            guard let p = shown[i].progress else { return }
            var none: [SectionCache.Hole]?
            return section(&html, i, p, &none)
        }
        sharedPart(&html, i) { sectionHead(&$0, i, $1) }
        let stack = shown[i].stack
        if let body = shown[i].body {
            return body.bytes.withUnsafeBytes { bytes in body.holes.withUnsafeBufferPointer { fill(&html, bytes, $0, stack) } }
        }
        // Another learner's heading, but a body not seen yet: evaluate now.
        let p = shown[i].progress ?? stack.progress(held: held, projected: projected, catalog: context.catalog)
        guard !cache.isFull else {
            var none: [SectionCache.Hole]?
            return sectionBody(&html, p, &none)
        }
        var template = HTML()
        var holes: [SectionCache.Hole]? = []
        sectionBody(&template, p, &holes)
        let bytes = template.exactBytes, kept = holes ?? []
        cache.keep(body: bytes, holes: kept, of: shown[i].position, key)
        bytes.withUnsafeBytes { bytes in kept.withUnsafeBufferPointer { fill(&html, bytes, $0, stack) } }
    }

    /// Writes the part of entry `i` that its whole key decides (a begun
    /// stack's heading and bar, or a waiting stack's row) as `render` does:
    /// copied from the cache, or rendered and kept for the next learner
    /// with the same key; only rendered when the cache is full or the part
    /// is the learner's own.
    private func sharedPart(_ html: inout HTML, _ i: Int, _ render: (inout HTML, StackProgress) -> Void) {
        if let cached = shown[i].cached { return cached.bytes.withUnsafeBytes { html.rendered($0) } }
        guard let p = shown[i].progress else { return }
        guard let cache, let key = shown[i].key, !cache.isFull else { return render(&html, p) }
        var part = HTML()
        render(&part, p)
        cache.keep(percent: shown[i].percent, projected: shown[i].projected, started: shown[i].started,
                   bytes: part.exactBytes, of: shown[i].position, key)
        html.rendered(part)
    }

    /// A body (kept in the cache, or just rendered as a template), with this learner's marks and
    /// totals in its holes.
    private func fill(_ html: inout HTML, _ bytes: UnsafeRawBufferPointer, _ holes: UnsafeBufferPointer<SectionCache.Hole>,
                      _ stack: CompiledStack) {
        var from = 0
        for hole in holes {
            // A mark is written only where one of the learner's few lapsed or unfinished credentials is.
            var credential: Int?
            if hole.kind == .mark {
                guard let i = markedCredential(stack, hole.node) else { continue }
                credential = i
            }
            html.rendered(UnsafeRawBufferPointer(rebasing: bytes[from..<hole.offset]))
            from = hole.offset
            if let credential {
                // The text straight from the learner's standing.
                markSpan(&html) { context.standing.writeMark(credential, to: &$0) }
            } else {
                amount(&html, stack, hole.node)
            }
        }
        html.rendered(UnsafeRawBufferPointer(rebasing: bytes[from...]))
    }

    /// The credential whose mark leaf `id` carries, from the learner's lapsed
    /// and unfinished credentials (`marked`: those with a mark).
    private func markedCredential(_ stack: CompiledStack, _ id: Int) -> Int? {
        marked.isEmpty ? nil : ProgressFormatting.leafMarked(stack, id, where: marked.contains)
    }

    /// A requirement that counts any credential says the same for every stack with the same
    /// threshold and unit: its text is worked out once a page (the held credentials are the page's).
    private var amounts: [AmountKey: [UInt8]] = [:]
    private struct AmountKey: Hashable {
        let threshold: Double
        let unit: String?
    }

    /// The total of requirement `id` (one that counts any credential), as `writeAmountDetail` writes it.
    private func amount(_ html: inout HTML, _ stack: CompiledStack, _ id: Int) {
        let threshold: Double, unit: String?
        switch stack.nodes[id].kind {
        case .hours(let t, nil): (threshold, unit) = (t, nil)
        case .credits(let t, let u, nil): (threshold, unit) = (t, u)
        default: return stack.writeAmountDetail(id, held: held, catalog: context.catalog, to: &html)
        }
        let key = AmountKey(threshold: threshold, unit: unit)
        if let known = amounts[key] { return known.withUnsafeBytes { html.rendered($0) } }
        var text = HTML()
        stack.writeAmountDetail(id, held: held, catalog: context.catalog, to: &text)
        amounts[key] = text.exactBytes
        html.rendered(text)
    }

    /// A stack begun, or a goal: its bar, tree, what is missing and the plan.
    /// With `holes`, the learner's own marks and totals are left out, and
    /// where they go is noted there.
    private func section(_ html: inout HTML, _ i: Int, _ p: StackProgress, _ holes: inout [SectionCache.Hole]?) {
        sectionHead(&html, i, p)
        sectionBody(&html, p, &holes)
    }

    /// A section's heading and bar: what the whole key decides.
    private func sectionHead(_ html: inout HTML, _ i: Int, _ p: StackProgress) {
        html.raw("<section>\n<h3>")
        if inSite { html.internalLink(SitePath.stack(p.code, from: 1), p.code) } else { html.text(p.code) }
        // The text's fixed parts need no escaping: written as markup, with the numbers, they are the bytes `text` would write.
        if let title = p.stack.definition.title {
            html.raw(" — ")
            html.text(title)
        }
        html.raw("</h3>\n<p>")
        HTMLPage.bar(&html, percent: p.percent, projected: p.projectedPercent)
        html.raw(" · ")
        html.number(p.requirementsMet)
        html.raw(" of ")
        html.number(p.requirementsTotal)
        html.raw(" requirements met")
        if p.complete { html.text(" · "); HTMLPage.flag(&html, "done", "complete") }
        if let goal = shown[i].goal { self.goal(&html, goal, p) }
        html.raw("</p>\n")
    }

    /// A section's tree, what is missing, the plan of a goal, and its end:
    /// what the learner holds now decides all but the plan.
    private func sectionBody(_ html: inout HTML, _ p: StackProgress, _ holes: inout [SectionCache.Hole]?) {
        tree(&html, p, &holes)
        let missing = p.missingText(catalog: context.catalog, separator: ", ")
        if missing.items > 0 {
            html.raw("<p><strong>Missing:</strong> ")
            html.text(missing.text)
            html.raw("</p>\n")
        }
        if let plan = plans[p.code] { self.plan(&html, plan) }
        html.raw("</section>\n")
    }

    /// A stack not begun, and not a goal: one row of a table.
    private func waitingRow(_ html: inout HTML, _ i: Int, _ p: StackProgress) {
        let code = shown[i].code
        html.raw("<tr><td>")
        if inSite { html.internalLink(SitePath.stack(code, from: 1), code) } else { html.text(code) }
        html.raw("</td><td>")
        html.text(shown[i].stack.definition.title ?? "")
        html.raw("</td><td>")
        HTMLPage.bar(&html, percent: shown[i].percent, projected: shown[i].projected)
        html.raw("</td><td class=\"num\">")
        html.number(p.requirementsTotal)
        html.raw("</td></tr>\n")
    }

    /// ` <span class="mark">…</span>` around what `text` writes: the bytes
    /// `text(" ")` and `element("span", ["class": "mark"], text:)` would write.
    @inline(__always)
    private func markSpan(_ html: inout HTML, _ text: (inout HTML) -> Void) {
        html.raw(" <span class=\"mark\">")
        text(&html)
        html.raw("</span>")
    }

    private func goal(_ html: inout HTML, _ goal: LearnerGoal, _ p: StackProgress) {
        html.text(" · goal" + (goal.target.map { " by " + $0.description } ?? ""))
        let hours = plans[p.code].flatMap { $0.plan.completable == true ? $0.totalHours.value : nil }
        let assessed = GoalStatus.assess(complete: p.complete, remainingHours: hours, pace: context.learner.pace, target: goal.target,
                                         on: context.day)
        html.text(" ")
        switch assessed.status {
        case .done: HTMLPage.flag(&html, "done", "done")
        case .onTrack: HTMLPage.flag(&html, "on", "on track")
        case .offTrack: HTMLPage.flag(&html, "off", "off track")
        case .unknown:
            if let plan = plans[p.code], plan.plan.completable == true, plan.totalHours.unknown > 0 {
                HTMLPage.flag(&html, "unknown", text: "on track: unknown (the plan has " + plan.totalHours.unknownWords("hours") + ")")
            } else {
                HTMLPage.flag(&html, "unknown", "on track: unknown (no pace, target or plan)")
            }
        }
        if let finish = assessed.finish { html.text(" estimated finish " + finish.description) }
        if let plan = plans[p.code] {
            for (code, lapses) in zip(plan.codes, plan.lapsesOn) {
                if let lapses { html.text(" · \(code) lapses \(lapses): renew") }
            }
        }
    }

    /// The explained requirement tree, as nested lists: each requirement
    /// says in words whether it is met, by what, or what it lacks. With
    /// `holes`, an unmet leaf's mark and the total of a requirement that
    /// counts any credential are left for ``fill(_:_:_:_:)``.
    private func tree(_ html: inout HTML, _ p: StackProgress, _ holes: inout [SectionCache.Hole]?) {
        let catalog = context.catalog
        let nodes = p.stack.nodes
        // The same bytes as `element(…)` would write, without building the strings first.
        HTMLPage.tree(&html, p.stack) { html, id in
            let value = p.current.nodeValues[id]
            if value >= 1 - Evaluation.epsilon {
                html.raw("<span class=\"met\">✓ met</span>")
            } else if value > Evaluation.epsilon {
                html.raw("<span class=\"unmet\">◐ ")
                html.text(ProgressFormatting.percent(value * 100))
                html.raw("%</span>")
            } else {
                html.raw("<span class=\"unmet\">✗ not met</span>")
            }
            html.raw(" ")
            ProgressFormatting.writeLabel(nested: nodes[id].stack, nodes[id].label, to: &html)
            html.raw("<small> — ")
            if holes != nil && p.stack.countsAnyCredential(id) {
                holes!.append(SectionCache.Hole(offset: html.count, kind: .amount, node: id))
            } else {
                // Every requirement has a detail (`writeDetail`), so the aside is never empty.
                p.writeDetail(id, catalog: catalog, to: &html)
            }
            html.raw("</small>")
            if holes != nil {
                if !p.current.isMet(id) { holes!.append(SectionCache.Hole(offset: html.count, kind: .mark, node: id)) }
            } else if !p.current.isMet(id), let credential = markedCredential(p.stack, id) {
                // As `fill` writes it: found among the learner's few marked credentials, written from the standing.
                markSpan(&html) { context.standing.writeMark(credential, to: &$0) }
            }
        }
    }

    private func plan(_ html: inout HTML, _ r: PlanResult) {
        html.element("h4", text: "Next-best plan (least hours)")
        guard r.plan.completable == true else {
            html.element("p", text: r.plan.completable == false ? "No plan completes this stack from the catalog."
                         : "No plan was found within the solver's time limit.")
            return
        }
        html.raw("""
            <table><thead><tr><th scope="col">credential</th><th scope="col">title</th><th scope="col" class="num">hours</th>\
            <th scope="col" class="num">cost</th><th scope="col" class="num">weeks</th><th scope="col">note</th></tr></thead><tbody>

            """)
        for (i, c) in r.credentials.enumerated() {
            html.raw("<tr><td>")
            html.text(c.code)
            html.raw("</td><td>")
            if let url = c.url { html.link(url, c.title) } else { html.text(c.title) }
            html.raw("</td><td class=\"num\">")
            if let hours = c.hours { html.number(hours) } else { html.text("unknown") }
            html.raw("</td><td class=\"num\">")
            html.text(c.costCents.map { Money.format(cents: $0) } ?? "unknown")
            html.raw("</td><td class=\"num\">")
            if let weeks = c.weeks { html.number(weeks) } else { html.text("unknown") }
            html.raw("</td><td>")
            html.text(r.note(i))
            html.raw("</td></tr>\n")
        }
        html.raw("</tbody></table>\n<p>")
        html.text("Total: " + r.totalWords(.hours) + ", " + r.totalWords(.cost) + " in fees")
        if let reason = r.unknownWeeksReason { html.text("; weeks unknown: \(reason).") }
        if let weeks = r.estimatedWeeks {
            html.text(", about \(weeks) weeks" + (r.pace.map { " at " + NumberText.plain($0) + " hours a week" } ?? " one after another") + ". ")
            if r.fitsSixMonths { HTMLPage.flag(&html, "on", "fits in six months") } else { HTMLPage.flag(&html, "off", "longer than six months") }
        }
        html.raw("</p>\n")
    }

    /// Earned credentials on a time line: a bar from the day each was
    /// earned to the day it lapses (or to the as-of date when it does not),
    /// with the dates in words beside it.
    private func timeline(_ html: inout HTML) {
        // Positions in `awards`, sorted, instead of copies of the records (each a retain and release of its strings).
        let earned = awards.indices.filter { awards[$0].award.status == .earned && awards[$0].award.earnedOn != nil }
            .sorted { (awards[$0].award.earnedOn!, awards[$0].award.credential) < (awards[$1].award.earnedOn!, awards[$1].award.credential) }
        html.element("h2", text: "Timeline")
        guard let first = earned.first.flatMap({ awards[$0].award.earnedOn }) else {
            html.element("p", text: "Nothing earned yet.")
            return
        }
        let day = context.day
        // Worked out once each: an expiry is date arithmetic on the credential's validity.
        let expiries = earned.map { awards[$0].expires }
        let last = expiries.reduce(day) { max($0, $1 ?? $0) }
        let start = Int(first.daysSinceEpoch), span = max(1, Int(last.daysSinceEpoch) - start)
        let left = 10, width = 560, labelX = left + width + 12, row = 22, top = 28
        let height = top + row * earned.count + 8
        func x(_ d: Day) -> Int { left + (Int(d.daysSinceEpoch) - start) * width / span }
        // As `open("svg", [...])`, `open("line", [...])` and `open("text", [...])` write them, numbers and days straight into the page.
        html.raw("<svg width=\"980\" height=\"")
        html.number(height)
        html.raw("\" viewBox=\"0 0 980 ")
        html.number(height)
        html.raw("\" role=\"img\" aria-label=\"Timeline of ")
        html.number(earned.count)
        html.raw(earned.count == 1 ? " earned credential, from " : " earned credentials, from ")
        html.day(first)
        html.raw(" to ")
        html.day(last)
        html.raw("\"><line x1=\"")
        html.number(x(day))
        html.raw("\" y1=\"16\" x2=\"")
        html.number(x(day))
        html.raw("\" y2=\"")
        html.number(height)
        html.raw("\" stroke=\"#4a5560\" stroke-dasharray=\"4 3\"></line><text x=\"")
        html.number(x(day))
        html.raw("\" y=\"12\" font-size=\"11\" text-anchor=\"middle\" fill=\"#1b1f24\">as of ")
        html.day(day)
        html.raw("</text>")
        for (i, a) in earned.enumerated() {
            let y = top + i * row
            let from = awards[a].award.earnedOn!, to = expiries[i]
            let lapsed = to.map { $0 <= day } ?? false
            // As `open("rect", [...])` writes it, numbers straight into the page.
            html.raw("<rect x=\"")
            html.number(x(from))
            html.raw("\" y=\"")
            html.number(y)
            html.raw("\" width=\"")
            html.number(max(3, x(to ?? day) - x(from)))
            html.raw(lapsed ? "\" height=\"12\" fill=\"#b0b8c1\"></rect><text x=\"" : "\" height=\"12\" fill=\"#0b57a4\"></rect><text x=\"")
            html.number(labelX)
            html.raw("\" y=\"")
            html.number(y + 10)
            html.raw("\" font-size=\"12\" fill=\"#1b1f24\">")
            html.text(awards[a].award.credential)
            html.raw(": earned ")
            html.day(from)
            switch (to, lapsed) {
            case (let to?, true): html.raw(", expired "); html.day(to)
            case (let to?, false): html.raw(", expires "); html.day(to)
            case (nil, _): html.raw(", does not expire")
            }
            html.raw("</text>")
        }
        html.close("svg")
        html.raw("\n")
    }

    private func credentials(_ html: inout HTML) {
        html.element("h2", text: "Credentials")
        guard !awards.isEmpty else {
            html.element("p", text: "No awards recorded.")
            return
        }
        html.raw("<table><thead><tr>")
        for column: StaticString in ["credential", "title", "issuer", "status", "earned", "expires", "evidence", "badge"] {
            html.raw("<th scope=\"col\">")
            html.raw(column)
            html.raw("</th>")
        }
        html.raw("</tr></thead><tbody>\n")
        let catalog = context.catalog
        // The cells the catalog decides: code, title (a link to the credential's page, if it has one) and issuer.
        func catalogCells(_ html: inout HTML, _ r: AwardRecord, _ i: Int?) {
            html.raw("<tr><td>")
            html.text(r.award.credential)
            html.raw("</td><td>")
            // Read in place: a copy of the whole credential costs a retain and release of each of its strings.
            if let i, let url = catalog.credentials[i].url { html.link(url, r.credentialTitle) } else { html.text(r.credentialTitle) }
            html.raw("</td><td>")
            if let i, let issuer = catalog.credentials[i].issuer { html.text(issuer) }
            html.raw("</td><td>")
        }
        // Each record read in place, by position: a copy costs a retain and release of each of its strings.
        for n in awards.indices {
            let i = catalog.index[awards[n].award.credential]
            let expires = awards[n].expires
            let status = EffectiveStatus(status: awards[n].award.status, earnedOn: awards[n].award.earnedOn, expiry: expires,
                                         on: context.day)
            // The record's title is the catalog's, so the cells are the same on every page that lists the credential.
            if let cells, let i { cells.write(&html, i) { catalogCells(&$0, awards[n], i) } } else { catalogCells(&html, awards[n], i) }
            html.text(status.rawValue)
            html.raw("</td><td>")
            if let earned = awards[n].award.earnedOn { html.day(earned) }
            html.raw("</td><td>")
            if let expires { html.day(expires) }
            html.raw("</td><td>")
            if let evidence = awards[n].award.evidenceURL { html.link(evidence, evidence) }
            html.raw("</td><td>")
            if !verifications.isEmpty, let verification = awards[n].award.id.flatMap({ verifications[$0] }) { html.text(verification) }
            html.raw("</td></tr>\n")
        }
        html.raw("</tbody></table>\n")
    }
}
