extension HTMLTemplate {
    /// The page's only stylesheet: system fonts, no external resource. The print rules keep rows
    /// and cards whole across pages and repeat table headers, on A4 and Letter alike (the page
    /// size is left to the printer; margins fit both).
    static let style = """
    <style>
    :root { --ink: #1d2330; --muted: #5b6474; --line: #d9dee7; --soft: #f4f6f9; --error: #b42318; --warning: #a15c07; --info: #1f5fbf; --ok: #217a3c; }
    * { box-sizing: border-box; }
    [hidden] { display: none !important; }
    body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: #fff; }
    header.head, main, footer { max-width: 1240px; margin: 0 auto; padding: 0 24px; }
    header.head { padding-top: 20px; }
    .brand { margin: 0; color: var(--muted); font-size: 12px; letter-spacing: .04em; text-transform: uppercase; }
    h1 { margin: 4px 0 12px; font-size: 22px; }
    h2 { font-size: 17px; margin: 28px 0 10px; }
    .card h2 { margin: 0 0 4px; font-size: 13px; color: var(--muted); font-weight: 600; text-transform: uppercase; letter-spacing: .03em; }
    .outcome { margin: 0 0 14px; padding: 10px 14px; border-radius: 6px; border-left: 5px solid; background: var(--soft); }
    .outcome.clean { border-color: var(--ok); }
    .outcome.findings { border-color: var(--warning); }
    .outcome.attention { border-color: var(--error); background: #fdf1f0; }
    .facts { display: flex; flex-wrap: wrap; gap: 4px 28px; margin: 0; }
    .facts div { display: flex; gap: 8px; }
    .facts dt { color: var(--muted); }
    .facts dd { margin: 0; overflow-wrap: anywhere; }
    .cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(250px, 1fr)); gap: 14px; margin-top: 20px; }
    .card { border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; break-inside: avoid; }
    .big { font-size: 28px; font-weight: 650; margin: 0 0 6px; font-variant-numeric: tabular-nums; }
    .severities, .states { list-style: none; padding: 0; margin: 0; }
    .severities li, .states li { margin: 4px 0; }
    table { border-collapse: collapse; }
    .mini { width: 100%; font-size: 13px; }
    .mini th { font-weight: 500; color: var(--muted); text-align: left; }
    .mini td, .mini th { padding: 2px 4px; }
    .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
    .share .bar { display: inline-block; height: 8px; margin-right: 6px; background: #9bb4d9; vertical-align: middle; }
    .grid { width: 100%; font-size: 13px; }
    .grid > thead th { position: sticky; top: 0; background: #fff; text-align: left; font-weight: 600; border-bottom: 2px solid var(--line); padding: 6px 8px; white-space: nowrap; }
    .grid > thead th.num { text-align: right; }
    .grid > tbody > tr > td { border-bottom: 1px solid var(--line); padding: 5px 8px; vertical-align: top; }
    .grid th.sortable { cursor: pointer; }
    .grid th.sortable:hover { text-decoration: underline; }
    .grid th[aria-sort="ascending"]::after { content: " ▲"; font-size: 10px; }
    .grid th[aria-sort="descending"]::after { content: " ▼"; font-size: 10px; }
    .payouts tbody.flagged > tr:first-child > td { background: #fff8eb; }
    .payouts .lines-row > td { padding: 0 8px 6px 24px; border-bottom: 1px solid var(--line); }
    .lines-row summary { cursor: pointer; color: var(--muted); font-size: 12px; }
    .lines { margin: 4px 0 8px; font-size: 12px; }
    .lines th { text-align: left; font-weight: 600; color: var(--muted); padding: 3px 6px; border-bottom: 1px solid var(--line); white-space: nowrap; }
    .lines td { padding: 3px 6px; border-bottom: 1px dotted var(--line); }
    .rule { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
    .match-unmatched .rule, .match-unreadable .rule, .match-ambiguous .rule { color: var(--error); }
    .match-suggested .rule { color: var(--warning); }
    .id, .code, .ids { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
    .id, .ids { overflow-wrap: anywhere; }
    .ids { min-width: 150px; }
    .code { white-space: nowrap; font-size: 11px; }
    .idpart { display: block; }
    .idpart .kind { color: var(--muted); font-family: system-ui, sans-serif; font-size: 11px; }
    .message .more { display: block; color: var(--muted); font-size: 12px; overflow-wrap: anywhere; }
    .badge { display: inline-block; min-width: 54px; text-align: center; padding: 1px 6px; border-radius: 10px; font-size: 11px; font-weight: 600; border: 1px solid; }
    .badge.error { color: var(--error); background: #fdecea; }
    .badge.warning { color: var(--warning); background: #fff4e0; }
    .badge.info { color: var(--info); background: #e9f0fb; }
    .badge.new { color: #6b21a8; background: #f3e8ff; }
    .badge.open, .badge.carried { color: var(--muted); background: var(--soft); }
    .badge.resolved { color: var(--ok); background: #e8f5ec; }
    .charts { display: flex; flex-wrap: wrap; gap: 16px; margin-top: 24px; align-items: flex-start; }
    .amounts { display: flex; flex-wrap: wrap; gap: 16px; flex: 1 1 440px; }
    .chart { margin: 0; border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; break-inside: avoid; max-width: 100%; overflow-x: auto; }
    .chart figcaption { font-weight: 600; margin-bottom: 6px; }
    svg text { font: 11px system-ui, sans-serif; fill: var(--ink); }
    svg text.label { font-family: ui-monospace, Menlo, Consolas, monospace; }
    svg rect.error { fill: var(--error); }
    svg rect.warning { fill: #d98a1c; }
    svg rect.info { fill: var(--info); }
    svg rect.positive { fill: #3d7bd9; }
    svg rect.negative { fill: var(--error); }
    svg .axis { stroke: var(--muted); stroke-width: 1; }
    .controls { display: flex; flex-wrap: wrap; gap: 8px 18px; align-items: center; margin: 6px 0 10px; font-size: 13px; }
    .controls select, .controls input { font: inherit; }
    .pager { margin: 10px 0; display: flex; gap: 10px; align-items: center; font-size: 13px; }
    .hint, .none, .note { color: var(--muted); }
    .note { background: #fff8eb; padding: 8px 12px; border-radius: 6px; color: var(--ink); }
    footer { margin: 32px auto 24px; color: var(--muted); font-size: 12px; }
    .filtered-out { display: none; }
    @media screen { .paged-out { display: none; } }
    @page { margin: 14mm 12mm; }
    @media print {
      body { font-size: 10.5px; }
      header.head, main, footer { max-width: none; padding: 0; }
      .controls, .pager, .hint { display: none !important; }
      .grid > thead { display: table-header-group; }
      .grid > thead th { position: static; }
      tr, tbody.item, .card, .chart, .outcome { break-inside: avoid; }
      h2 { break-after: avoid; }
      details::details-content { content-visibility: visible; display: block; }
      .chart { overflow: visible; }
      .outcome.attention, .payouts tbody.flagged > tr:first-child > td { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
      a { color: inherit; }
    }
    </style>

    """
}
