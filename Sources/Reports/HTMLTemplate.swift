// The Mustache template of report.html, embedded as Swift string literals rather than bundle
// resources: the binary must render the page when installed alone (no resource bundle to find
// beside it), and a literal cannot go missing at run time.
//
// Escaping rules the template keeps (tests check them):
// - only `{{name}}` (HTML-escaped by the library: < > & " '); never `{{{name}}}` or `{{&name}}`;
// - a variable inside an attribute is always inside double quotes;
// - the <style> and <script> blocks hold no variable at all: the script reads the page's text
//   and data-* attributes from the DOM, so no API value is ever written into JavaScript.
enum HTMLTemplate {
    static let page = head + style + body + script + "</body>\n</html>\n"

    static let head = """
    <!DOCTYPE html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="generator" content="ap-reconcile {{run.toolVersion}}">
    <title>{{title}}</title>

    """

    static let body = """
    </head>
    <body>
    <header class="head">
    <p class="brand">ap-reconcile · reconciliation report</p>
    <h1>Payouts created {{run.since}} to {{run.until}}</h1>
    <p class="outcome {{outcome.tone}}"><strong>{{outcome.headline}}.</strong> {{outcome.detail}}</p>
    <dl class="facts">
    <div><dt>API</dt><dd>{{run.baseURL}}</dd></div>
    <div><dt>Window</dt><dd>{{run.since}} to {{run.until}} (payout created_at; the end is excluded)</dd></div>
    <div><dt>As of</dt><dd>{{run.asOf}}</dd></div>
    <div><dt>Fail on</dt><dd>{{run.failOn}}</dd></div>
    <div><dt>Tool</dt><dd>ap-reconcile {{run.toolVersion}}</dd></div>
    </dl>
    </header>
    <main>
    <section class="cards" aria-label="Summary">
    <article class="card">
    <h2>Payouts</h2>
    <p class="big">{{payoutCount}}</p>
    {{#hasCurrencies}}
    <table class="mini">
    <thead><tr><th>Currency</th><th class="num">Payouts</th><th class="num">Total paid out</th></tr></thead>
    <tbody>
    {{#currencies}}
    <tr><td>{{code}}</td><td class="num">{{payouts}}</td><td class="num">{{total}}</td></tr>
    {{/currencies}}
    </tbody>
    </table>
    {{/hasCurrencies}}
    {{#hasAtStake}}
    <section class="currencies" aria-label="Money at stake">
    <h2>Money at stake</h2>
    <table class="grid">
    <thead><tr><th>Currency</th><th class="num">Open</th><th class="num">Acknowledged</th><th class="num">Open 0–7 days</th><th class="num">8–30 days</th><th class="num">31–90 days</th><th class="num">Over 90 days</th></tr></thead>
    <tbody>
    {{#atStake}}
    <tr><td>{{code}}</td><td class="num">{{open}}</td><td class="num">{{acknowledged}}</td>{{#buckets}}<td class="num">{{.}}</td>{{/buckets}}</tr>
    {{/atStake}}
    </tbody>
    </table>
    </section>
    {{/hasAtStake}}
    </article>
    <article class="card">
    <h2>Lines</h2>
    <p class="big">{{lineCount}}</p>
    <table class="mini">
    <thead><tr><th>Matched by</th><th class="num">Lines</th><th class="num">Share</th></tr></thead>
    <tbody>
    {{#rules}}
    <tr><td>{{rule}}</td><td class="num">{{count}}</td><td class="num share"><span class="bar" style="width: {{barWidth}}px"></span>{{share}}</td></tr>
    {{/rules}}
    </tbody>
    </table>
    </article>
    <article class="card">
    <h2>Diagnostics</h2>
    <p class="big">{{diagnosticTotal}}</p>
    <ul class="severities">
    {{#severities}}
    <li><span class="badge {{severity}}">{{severity}}</span> {{count}}</li>
    {{/severities}}
    </ul>
    </article>
    {{#openItems}}
    <article class="card">
    <h2>Since the last run</h2>
    <ul class="states">
    <li><span class="badge new">new</span> {{new}}</li>
    <li><span class="badge open">still open</span> {{open}}</li>
    <li><span class="badge resolved">resolved</span> {{resolved}}</li>
    <li><span class="badge carried">carried over</span> {{carried}}</li>
    </ul>
    </article>
    {{/openItems}}
    </section>
    {{#hasCurrencies}}
    <section class="currencies" aria-label="Totals per currency">
    <h2>Totals per currency</h2>
    <table class="grid">
    <thead><tr><th>Currency</th><th class="num">Payouts</th><th class="num">Paid out</th><th class="num">Inbound lines</th><th class="num">Outbound lines</th></tr></thead>
    <tbody>
    {{#currencies}}
    <tr><td>{{code}}</td><td class="num">{{payouts}}</td><td class="num">{{total}}</td><td class="num">{{inbound}}</td><td class="num">{{outbound}}</td></tr>
    {{/currencies}}
    </tbody>
    </table>
    </section>
    {{/hasCurrencies}}
    {{#cash}}
    <section class="currencies" id="cash-section" aria-label="Cash in the bank">
    <h2>Cash in the bank</h2>
    <table class="grid">
    <thead><tr><th>Currency</th><th class="num">Expected</th><th class="num">Credited</th><th class="num">Matched</th><th class="num">Unmatched credits</th></tr></thead>
    <tbody>
    {{#currencies}}
    <tr><td>{{code}}</td><td class="num">{{expected}}</td><td class="num">{{credited}}</td><td class="num">{{matched}}</td><td class="num">{{unmatched}}</td></tr>
    {{/currencies}}
    </tbody>
    </table>
    {{#hasMissing}}
    <h3>Payouts not in the bank</h3>
    <table class="grid">
    <thead><tr><th>Payout</th><th class="num">Amount</th><th>Expected between</th></tr></thead>
    <tbody>
    {{#missing}}
    <tr><td>{{id}}</td><td class="num">{{amount}}</td><td>{{window}}</td></tr>
    {{/missing}}
    </tbody>
    </table>
    {{/hasMissing}}
    {{#hasCredits}}
    <h3>Credits from the provider that match no payout</h3>
    <table class="grid">
    <thead><tr><th>Bank entry</th><th>Booked</th><th class="num">Amount</th><th>Text</th></tr></thead>
    <tbody>
    {{#credits}}
    <tr><td>{{id}}</td><td>{{date}}</td><td class="num">{{amount}}</td><td>{{text}}</td></tr>
    {{/credits}}
    </tbody>
    </table>
    {{/hasCredits}}
    <p>Payouts not yet due (their window ends after the statements do): {{notYetDue}}.</p>
    </section>
    {{/cash}}
    <section class="charts">
    <figure class="chart">
    <figcaption>Diagnostics by code</figcaption>
    {{#codeChart}}
    <svg role="img" aria-label="Diagnostics by code" width="{{width}}" height="{{height}}" viewBox="0 0 {{width}} {{height}}" xmlns="http://www.w3.org/2000/svg">
    {{#bars}}
    <text class="label" x="{{labelRight}}" y="{{labelY}}" text-anchor="end">{{code}}</text>
    <rect class="{{severity}}" x="{{barLeft}}" y="{{barY}}" width="{{barWidth}}" height="14"><title>{{code}}: {{count}}</title></rect>
    <text class="value" x="{{countX}}" y="{{labelY}}">{{count}}</text>
    {{/bars}}
    </svg>
    {{/codeChart}}
    {{^codeChart}}
    <p class="none">No diagnostics.</p>
    {{/codeChart}}
    </figure>
    <div class="amounts">
    {{#amountCharts}}
    <figure class="chart">
    <figcaption>Payout amounts by day created, {{currency}}</figcaption>
    {{#note}}
    <p class="none">{{.}}</p>
    {{/note}}
    {{^note}}
    <svg role="img" aria-label="Payout amounts in {{currency}}" width="{{width}}" height="{{height}}" viewBox="0 0 {{width}} {{height}}" xmlns="http://www.w3.org/2000/svg">
    <line class="axis" x1="{{left}}" y1="{{zeroY}}" x2="{{right}}" y2="{{zeroY}}"/>
    <text class="value" x="{{left}}" y="{{maxLabelY}}" dx="-6" text-anchor="end">{{maxLabel}}</text>
    {{#minLabel}}
    <text class="value" x="{{left}}" y="{{minLabelY}}" dx="-6" text-anchor="end">{{.}}</text>
    {{/minLabel}}
    {{#bars}}
    <rect class="{{sign}}" x="{{x}}" y="{{y}}" width="{{width}}" height="{{height}}"><title>{{title}}</title></rect>
    {{/bars}}
    <text class="value" x="{{left}}" y="{{dateLabelY}}">{{firstPeriod}}</text>
    <text class="value" x="{{right}}" y="{{dateLabelY}}" text-anchor="end">{{lastPeriod}}</text>
    </svg>
    {{/note}}
    </figure>
    {{/amountCharts}}
    </div>
    </section>
    <section id="payouts-section">
    <h2>Payouts</h2>
    {{#hasPayouts}}
    <p class="hint">Open a payout's lines to see how each was matched. Amounts are in the payout's currency; a difference is amount − computed.</p>
    <div class="controls" id="payouts-controls" hidden>
    <label><input type="checkbox" id="payouts-flagged"> Only payouts with a difference or diagnostics</label>
    </div>
    <table class="grid payouts" id="payouts" data-items="tbody">
    <thead><tr><th>Payout</th><th>Status</th><th>Created</th><th class="num" data-type="num">Amount</th><th class="num" data-type="num">Computed</th><th class="num" data-type="num">Difference</th><th class="num" data-type="num">Lines</th><th class="num" data-type="num">Diagnostics</th></tr></thead>
    {{#payouts}}
    <tbody class="item{{#flagged}} flagged{{/flagged}}" data-flagged="{{#flagged}}1{{/flagged}}{{^flagged}}0{{/flagged}}">
    <tr><td class="id">{{id}}</td><td>{{status}}</td><td>{{createdAt}}</td><td class="num" data-sort="{{amountMinor}}">{{amount}}</td><td class="num" data-sort="{{computedMinor}}">{{computed}}</td><td class="num diff" data-sort="{{differenceMinor}}">{{difference}}</td><td class="num">{{lineCount}}</td><td class="num">{{diagnosticCount}}</td></tr>
    <tr class="lines-row"><td colspan="8">
    {{#hasLines}}
    <details><summary>{{lineCount}} lines of {{id}} and their matches</summary>
    <table class="lines">
    <thead><tr><th class="num">#</th><th>Transaction</th><th>Type</th><th>Direction</th><th>Status</th><th class="num">Amount</th><th>Customer</th><th>Match</th><th>Invoice</th><th>Payment request</th><th>Candidates</th><th>Counted</th><th>First seen in</th></tr></thead>
    <tbody>
    {{#lines}}
    <tr class="match-{{match}}"><td class="num">{{position}}</td><td class="id">{{transaction}}</td><td>{{type}}</td><td>{{direction}}</td><td>{{lineStatus}}</td><td class="num">{{lineAmount}}</td><td>{{customer}}</td><td><span class="rule">{{match}}</span></td><td class="id">{{invoice}}</td><td class="id">{{paymentRequest}}</td><td class="id">{{candidates}}</td><td>{{counted}}</td><td class="id">{{firstSeen}}</td></tr>
    {{/lines}}
    </tbody>
    </table>
    </details>
    {{/hasLines}}
    {{^hasLines}}
    {{#linesOmitted}}
    <span class="none">{{lineCount}} lines, not listed: this page lists the lines of the first payouts, up to {{linesListed}} lines in all. transactions.csv has every line.</span>
    {{/linesOmitted}}
    {{^linesOmitted}}
    <span class="none">No lines.</span>
    {{/linesOmitted}}
    {{/hasLines}}
    </td></tr>
    </tbody>
    {{/payouts}}
    </table>
    <div class="pager" id="payouts-pager" hidden><button type="button" data-step="-1">‹ Previous</button> <span></span> <button type="button" data-step="1">Next ›</button></div>
    {{/hasPayouts}}
    {{^hasPayouts}}
    <p class="none">No payout was created in the window.</p>
    {{/hasPayouts}}
    </section>
    <section id="diagnostics-section">
    <h2>Diagnostics</h2>
    {{#listingNote}}
    <p class="note">{{.}}</p>
    {{/listingNote}}
    {{#hasDiagnostics}}
    <div class="controls" id="diagnostics-controls" hidden>
    <label>Severity <select id="diagnostics-severity"><option value="">all</option><option value="error">error</option><option value="warning">warning</option><option value="info">info</option></select></label>
    <label>Code <select id="diagnostics-code"><option value="">all</option>{{#codes}}<option value="{{code}}">{{code}} ({{count}})</option>{{/codes}}</select></label>
    {{#showStatus}}
    <label>Status <select id="diagnostics-status"><option value="">all</option><option value="new">new</option><option value="open">still open</option></select></label>
    {{/showStatus}}
    <label>Find <input type="search" id="diagnostics-find" placeholder="id or text"></label>
    <span id="diagnostics-count"></span>
    </div>
    <table class="grid diagnostics" id="diagnostics" data-items="rows">
    <thead><tr><th>Severity</th><th>Code</th>{{#showStatus}}<th>Status</th>{{/showStatus}}<th>Ids</th><th class="num" data-type="num">Expected</th><th class="num" data-type="num">Actual</th><th class="num" data-type="num">Difference</th><th class="num" data-type="num">At stake</th><th>Message</th></tr></thead>
    <tbody>
    {{#diagnostics}}
    <tr data-severity="{{severity}}" data-code="{{code}}" data-status="{{itemStatus}}" data-disposition="{{disposition}}"><td data-sort="{{severity}}"><span class="badge {{severity}}">{{severity}}</span></td><td class="code">{{code}}</td>{{#showStatus}}<td><span class="badge {{itemStatus}}">{{itemStatus}}</span></td>{{/showStatus}}<td class="ids" data-sort="{{idKey}}">{{#ids}}<span class="idpart"><span class="kind">{{kind}}</span> {{value}}</span>{{/ids}}</td><td class="num" data-sort="{{expectedMinor}}">{{expected}}</td><td class="num" data-sort="{{actualMinor}}">{{actual}}</td><td class="num" data-sort="{{deltaMinor}}">{{delta}}</td><td class="num" data-sort="{{atStakeMinor}}">{{atStake}}</td><td class="message">{{message}}{{#acknowledgedNote}}<span class="more">Acknowledged: {{.}}</span>{{/acknowledgedNote}}{{#candidateList}}<span class="more">Candidates: {{.}}</span>{{/candidateList}}{{#unreadableEndpoint}}<span class="more">From {{.}}</span>{{/unreadableEndpoint}}{{#unreadableReason}}<span class="more">Why: {{.}}</span>{{/unreadableReason}}</td></tr>
    {{/diagnostics}}
    </tbody>
    </table>
    <div class="pager" id="diagnostics-pager" hidden><button type="button" data-step="-1">‹ Previous</button> <span></span> <button type="button" data-step="1">Next ›</button></div>
    {{/hasDiagnostics}}
    {{^hasDiagnostics}}
    <p class="none">No diagnostics: nothing needs review.</p>
    {{/hasDiagnostics}}
    </section>
    {{#hasResolved}}
    <section id="resolved-section">
    <h2>Resolved since the last run</h2>
    {{#resolvedNote}}
    <p class="note">{{.}}</p>
    {{/resolvedNote}}
    <table class="grid resolved">
    <thead><tr><th>Severity</th><th>Code</th><th>Ids</th><th>First seen</th><th>Last seen</th><th>Last message</th></tr></thead>
    <tbody>
    {{#resolved}}
    <tr><td><span class="badge {{severity}}">{{severity}}</span></td><td class="code">{{code}}</td><td class="ids">{{#ids}}<span class="idpart"><span class="kind">{{kind}}</span> {{value}}</span>{{/ids}}</td><td>{{firstSeen}}</td><td>{{lastSeen}}</td><td class="message">{{message}}</td></tr>
    {{/resolved}}
    </tbody>
    </table>
    </section>
    {{/hasResolved}}
    </main>
    <footer>
    <p>Every figure on this page comes from the files beside it:{{#files}} <a href="{{.}}">{{.}}</a>{{/files}}. The manifest lists each file's SHA-256.</p>
    </footer>

    """
}
