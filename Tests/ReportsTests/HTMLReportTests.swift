import APModels
import Foundation
import Reconciliation
import Testing
@testable import Reports

@Suite struct HTMLReportTests {
    @Test func theTemplateParses() throws {
        _ = try HTMLReport.template.get()
    }

    /// Only `{{name}}` (escaped by the library) is used: no triple mustache, no `{{&`, nothing in
    /// the stylesheet or the script, and inside a tag only within double quotes.
    @Test func theTemplateNeverWritesAValueUnescapedOrOutsideQuotes() {
        let page = HTMLTemplate.page
        #expect(!page.contains("{{{"))
        #expect(!page.contains("{{&"))
        #expect(!HTMLTemplate.style.contains("{{") && !HTMLTemplate.style.contains("}}"))
        #expect(!HTMLTemplate.script.contains("{{") && !HTMLTemplate.script.contains("}}"))
        #expect(!HTMLTemplate.head.contains("<script") && !HTMLTemplate.body.contains("<script"))

        // Every variable inside a tag (after a `<` with no `>` yet) sits between double quotes.
        let chars = Array(page)
        var insideTag = false
        var quotes = 0
        var unquoted: [String] = []
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "{" && i + 1 < chars.count && chars[i + 1] == "{" {
                let end = (i + 2..<chars.count).first { chars[$0] == "}" } ?? chars.count
                let tag = String(chars[i..<min(end + 2, chars.count)])
                let isSection = tag.hasPrefix("{{#") || tag.hasPrefix("{{^") || tag.hasPrefix("{{/")
                if insideTag && quotes % 2 == 0 && !isSection { unquoted.append(tag) }
                i = end + 2
                continue
            }
            if c == "<" { insideTag = true; quotes = 0 }
            if c == ">" { insideTag = false }
            if insideTag && c == "\"" { quotes += 1 }
            i += 1
        }
        #expect(unquoted == [])
    }

    @Test func apiValuesAreEscapedExactly() {
        let page = html(hostileResult)
        // the one script element is ours
        #expect(occurrences(of: "<script", in: page) == 1)
        #expect(!page.contains("<img"))
        #expect(!page.contains("alert(\"po\")"))

        // the payout row: id in text, amounts as numbers in attributes
        #expect(page.contains("""
        <tr><td class="id">&lt;script&gt;alert(&quot;po&quot;)&lt;/script&gt;</td><td>a&amp;b</td><td>2024-01-10T08:00:00Z</td>\
        <td class="num" data-sort="1000">10.00 USD</td><td class="num" data-sort="1000">10.00 USD</td>\
        <td class="num diff" data-sort="0">0.00 USD</td><td class="num">1</td><td class="num">1</td></tr>
        """))
        // the line: attribute breaker, both quotes, & and unicode
        #expect(page.contains("""
        <details><summary>1 lines of &lt;script&gt;alert(&quot;po&quot;)&lt;/script&gt; and their matches</summary>
        """))
        #expect(page.contains("""
        <tr class="match-payout_link"><td class="num">0</td><td class="id">t&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</td>\
        <td>payment</td><td>inbound</td><td>succeeded</td><td class="num">10.00 USD</td>\
        <td>O&#39;Brien &amp; &quot;Söhne&quot; 日本語 🙂</td><td><span class="rule">payout_link</span></td>\
        <td class="id">inv_&#39;1&#39;</td><td class="id">—</td><td class="id">—</td><td>yes</td><td class="id">—</td></tr>
        """))
        // the diagnostic: ids in a data-sort attribute, message with markup
        #expect(page.contains("""
        <tr data-severity="warning" data-code="TXN_UNLINKED" data-status="" data-disposition="open"><td data-sort="warning">\
        <span class="badge warning">warning</span></td><td class="code">TXN_UNLINKED</td>\
        <td class="ids" data-sort="&lt;script&gt;alert(&quot;po&quot;)&lt;/script&gt; t&quot;&gt;&lt;img src=x onerror=alert(1)&gt;">\
        <span class="idpart"><span class="kind">payout</span> &lt;script&gt;alert(&quot;po&quot;)&lt;/script&gt;</span>\
        <span class="idpart"><span class="kind">transaction</span> t&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</span></td>\
        <td class="num" data-sort="1000">10.00 USD</td><td class="num" data-sort="900">9.00 USD</td>\
        <td class="num" data-sort="-100">-1.00 USD</td><td class="num" data-sort="900">9.00 USD</td>\
        <td class="message">Line &lt;/td&gt;&lt;script&gt;x()&lt;/script&gt; &amp; &#39;quoted&#39; &quot;text&quot; é</td></tr>
        """))
    }

    @Test func headerStatesTheRunAndItsOutcome() {
        let page = html(sampleResult)
        #expect(page.contains("<title>Reconciliation 2024-01-10 to 2024-01-11 · ap-reconcile</title>"))
        #expect(page.contains("""
        <p class="outcome attention"><strong>Needs attention.</strong> 2 errors, 1 warning and 0 info diagnostics; \
        at or above --fail-on warning, so the run exited with status 1.</p>
        <dl class="facts">
        <div><dt>API</dt><dd>https://api.example.test/v1</dd></div>
        <div><dt>Window</dt><dd>2024-01-10T00:00:00Z to 2024-01-11T00:00:00Z (payout created_at; the end is excluded)</dd></div>
        <div><dt>As of</dt><dd>2024-01-11T06:00:00Z</dd></div>
        <div><dt>Fail on</dt><dd>warning</dd></div>
        <div><dt>Tool</dt><dd>ap-reconcile 0.3.0</dd></div>
        </dl>
        """))
    }

    @Test func summaryCardsShowTotalsPerCurrencyRulesAndSeverities() {
        let page = html(sampleResult)
        #expect(page.contains("""
        <tr><td>BHD</td><td class="num">1</td><td class="num">-1.500 BHD</td></tr>
        <tr><td>JPY</td><td class="num">1</td><td class="num">1,500 JPY</td></tr>
        <tr><td>USD</td><td class="num">1</td><td class="num">1,475.00 USD</td></tr>
        """))
        #expect(page.contains("""
        <tr><td>payout_link</td><td class="num">2</td><td class="num share"><span class="bar" style="width: 40px"></span>40.0 %</td></tr>
        <tr><td>payments_lookup</td><td class="num">0</td><td class="num share"><span class="bar" style="width: 0px"></span>0.0 %</td></tr>
        <tr><td>suggested</td><td class="num">1</td><td class="num share"><span class="bar" style="width: 20px"></span>20.0 %</td></tr>
        """))
        #expect(page.contains("""
        <li><span class="badge error">error</span> 2</li>
        <li><span class="badge warning">warning</span> 1</li>
        <li><span class="badge info">info</span> 0</li>
        """))
        // USD outbound overflowed: shown as unknown, never as a wrong number
        #expect(page.contains("""
        <tr><td>USD</td><td class="num">1</td><td class="num">1,475.00 USD</td><td class="num">1,500.00 USD</td><td class="num">—</td></tr>
        """))
        // no state: no new/open/resolved card or column
        #expect(!page.contains("Since the last run"))
        #expect(!page.contains("<th>Code</th><th>Status</th>"))
    }

    @Test func zeroDiagnosticsReadsAsReconciled() {
        let page = html(emptyResult)
        #expect(page.contains("""
        <p class="outcome clean"><strong>Reconciled.</strong> Every payout adds up to its transactions and nothing needs \
        review: no diagnostics. The run exited with status 0.</p>
        """))
        #expect(page.contains("<p class=\"none\">No diagnostics.</p>"))
        #expect(page.contains("<p class=\"none\">No diagnostics: nothing needs review.</p>"))
        #expect(page.contains("<p class=\"none\">No payout was created in the window.</p>"))
        #expect(!page.contains("<table class=\"grid diagnostics\""))
        #expect(!page.contains("<svg"))
        #expect(HTMLReport.render(emptyResult, run: run).rowCount == 0)
    }

    @Test func tenThousandDiagnosticsStayAListOfAFewHundredRows() {
        let result = manyDiagnostics(10_000, unlinked: 9_000)
        let file = HTMLReport.render(result, run: run)
        let page = text(file.bytes)
        #expect(file.rowCount == 10_000)
        #expect(occurrences(of: "<tr data-severity=\"error\" data-code=\"PAYOUT_AMOUNT_MISMATCH\"", in: page) == 200)
        #expect(occurrences(of: "<tr data-severity=\"warning\" data-code=\"TXN_UNLINKED\"", in: page) == 200)
        #expect(page.contains("""
        <p class="note">This page lists the first 200 diagnostics of each code (400 of 10,000, in the order of \
        diagnostics.csv). diagnostics.csv and report.json have every one.</p>
        """))
        #expect(page.contains("""
        <option value="PAYOUT_AMOUNT_MISMATCH">PAYOUT_AMOUNT_MISMATCH (1,000)</option>\
        <option value="TXN_UNLINKED">TXN_UNLINKED (9,000)</option>
        """))
        #expect(page.contains("<p class=\"big\">10,000</p>"))
        print("report.html for 10,000 diagnostics over 100 payouts: \(file.bytes.count) bytes")
    }

    @Test func linesAreListedUpToTheBudgetAndTheRestPointToTransactionsCSV() throws {
        let counts = sampleResult.payouts.map(\.lines.count)
        try #require(counts.count >= 2 && counts[0] > 0 && counts[1] > 0)
        let all = text(HTMLReport.render(sampleResult, run: run).bytes)
        #expect(occurrences(of: "<tr class=\"match-", in: all) == counts.reduce(0, +))
        #expect(!all.contains("lines, not listed"))

        // A budget of exactly the first payout's lines: its lines are listed, every later payout
        // with lines shows the note instead.
        let capped = text(HTMLReport.render(sampleResult, run: run, linesListed: counts[0]).bytes)
        #expect(occurrences(of: "<tr class=\"match-", in: capped) == counts[0])
        let note = "lines, not listed: this page lists the lines of the first payouts, up to \(counts[0]) lines in all. "
            + "transactions.csv has every line.</span>"
        #expect(occurrences(of: note, in: capped) == counts.dropFirst().filter { $0 > 0 }.count)
        #expect(capped.contains("<span class=\"none\">\(counts[1]) lines, not listed:"))
    }

    @Test func aSmallRunListsEveryDiagnosticWithoutANote() {
        let page = html(manyDiagnostics(300, unlinked: 150))
        #expect(occurrences(of: "<tr data-severity=", in: page) == 300)
        #expect(!page.contains("<p class=\"note\">"))
    }

    @Test func openItemsAddCardsAStatusColumnAndTheResolvedList() {
        let previous = [
            OpenItem(fingerprint: sampleResult.diagnostics[0].fingerprint, code: "PAYOUT_AMOUNT_MISMATCH", severity: .error,
                     firstSeen: ts("2024-01-05T06:00:00Z"), lastSeen: ts("2024-01-10T06:00:00Z"), payoutID: "po_1",
                     message: "old"),
            OpenItem(fingerprint: "PAYOUT_EMPTY|po_jpy|||", code: "PAYOUT_EMPTY", severity: .error,
                     firstSeen: ts("2024-01-09T06:00:00Z"), lastSeen: ts("2024-01-10T06:00:00Z"), payoutID: "po_jpy",
                     message: "Payout <po_jpy> has no lines."),
        ]
        var stateful = run
        stateful.openItems = OpenItems.compare(previous: previous, result: sampleResult, asOf: run.asOf)
        let page = html(sampleResult, run: stateful)
        #expect(page.contains("""
        <li><span class="badge new">new</span> 2</li>
        <li><span class="badge open">still open</span> 1</li>
        <li><span class="badge resolved">resolved</span> 1</li>
        <li><span class="badge carried">carried over</span> 0</li>
        """))
        #expect(page.contains("<th>Code</th><th>Status</th>"))
        #expect(page.contains("<tr data-severity=\"error\" data-code=\"PAYOUT_AMOUNT_MISMATCH\" data-status=\"open\" data-disposition=\"open\">"))
        #expect(page.contains("<td><span class=\"badge open\">open</span></td>"))
        #expect(page.contains("<tr data-severity=\"error\" data-code=\"RECORD_UNREADABLE\" data-status=\"new\" data-disposition=\"open\">"))
        #expect(page.contains("""
        <tr><td><span class="badge error">error</span></td><td class="code">PAYOUT_EMPTY</td>\
        <td class="ids"><span class="idpart"><span class="kind">payout</span> po_jpy</span></td>\
        <td>2024-01-09T06:00:00Z</td><td>2024-01-10T06:00:00Z</td><td class="message">Payout &lt;po_jpy&gt; has no lines.</td></tr>
        """))
    }

    @Test func thePageIsSelfContained() {
        // The only URLs are the SVG namespace and the API base URL the run names (as text).
        let page = html(sampleResult)
            .replacingOccurrences(of: #"xmlns="http://www.w3.org/2000/svg""#, with: "")
            .replacingOccurrences(of: "<dd>https://api.example.test/v1</dd>", with: "")
        for external in ["http:", "https:", "url(", "@import", "<link", "<img", " src=", "@font-face"] {
            #expect(!page.contains(external), "\(external)")
        }
    }

    @Test func renderingIsDeterministic() {
        #expect(HTMLReport.render(sampleResult, run: run) == HTMLReport.render(sampleResult, run: run))
        let many = manyDiagnostics(1_000, unlinked: 400)
        #expect(HTMLReport.render(many, run: run) == HTMLReport.render(many, run: run))
    }

    @Test func outcomeInWordsFollowsFailOn() {
        let findings: [Severity: Int] = [.error: 0, .warning: 2, .info: 1]
        #expect(HTMLPage.outcome(findings, open: findings, failOn: .error).headline == "Reconciled with findings")
        #expect(HTMLPage.outcome(findings, open: findings, failOn: .error).detail
            == "0 errors, 2 warnings and 1 info diagnostics; none at or above --fail-on error, so the run exited with status 0.")
        #expect(HTMLPage.outcome(findings, open: findings, failOn: .warning).tone == "attention")
        #expect(HTMLPage.outcome([.error: 1], open: [.error: 1], failOn: .never).detail
            == "1 error, 0 warnings and 0 info diagnostics; --fail-on never, so the run exited with status 0.")
        #expect(HTMLPage.outcome([.error: 1], open: [.error: 1], failOn: .error).tone == "attention")
    }
}
