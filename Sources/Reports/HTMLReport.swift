import Mustache
import Reconciliation

/// report.html: the page a finance reader opens first. One self-contained file (inline CSS, SVG
/// and an optional script; no font, image, style or script from elsewhere), rendered through a
/// Mustache template so every value from the API is HTML-escaped by the library. Pure: the same
/// result and run give the same bytes.
public enum HTMLReport {
    public static let fileName = "report.html"

    /// The page lists at most this many diagnostics of each code, in the documented order, and
    /// says so; diagnostics.csv has them all. Keeps a run with 10,000 diagnostics a page of a
    /// few megabytes that a browser opens at once, while every code that occurred stays visible.
    /// The page lists payouts' lines only up to this many in all (in payout order); the lines of
    /// the payouts after that are counted but not listed (transactions.csv has every line), so a
    /// run of a million lines still gives a page a browser opens and renders in seconds.
    public static let linesListed = 20_000

    public static let diagnosticsListedPerCode = 200

    /// The parsed template. A literal of this module: a parse error is a bug that the tests catch,
    /// and `render` still returns a page that says what went wrong instead of crashing the run.
    static let template: Result<MustacheTemplate, any Error> = Result { try MustacheTemplate(string: HTMLTemplate.page) }

    /// The page is a few megabytes at most (`linesListed`, `diagnosticsListedPerCode`): rendered
    /// whole, then handed to the sink.
    public static func stream(_ result: ReconciliationResult, run: RunInfo) -> ReportStream {
        ReportStream(name: fileName) { out in
            let file = render(result, run: run)
            out.bytes.append(contentsOf: file.bytes)
            return file.rowCount
        }
    }

    /// `rowCount` is the number of diagnostics the run found, as for report.json.
    public static func render(_ result: ReconciliationResult, run: RunInfo,
                              listedPerCode: Int = diagnosticsListedPerCode, linesListed: Int = linesListed) -> ReportFile {
        let html: String
        switch template {
        case .success(let template):
            html = template.render(HTMLPage.make(result, run: run, listedPerCode: listedPerCode, linesListed: linesListed))
        case .failure(let error):
            var reason = ""
            for ch in "\(error)" {
                switch ch {
                case "<": reason += "&lt;"
                case ">": reason += "&gt;"
                case "&": reason += "&amp;"
                default: reason.append(ch)
                }
            }
            html = "<!DOCTYPE html>\n<title>report.html</title>\n<p>report.html could not be rendered (template error: "
                + "\(reason)). report.json and the CSVs beside this file are complete.</p>\n"
        }
        return ReportFile(name: fileName, bytes: Array(html.utf8), rowCount: result.diagnostics.count)
    }
}
