import BankStatements
import Foundation
import FuzzSupport

/// The camt.053/054 reader and its XML tokenizer: the input as a whole document, and as the
/// entries of a valid statement (so the fuzzer reaches the entry interpretation quickly).
@main enum FuzzCamt {
    static func main() { FuzzEntry.main(testOneInput) }
}

let head = Array("""
<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt><Stmt><Id>S</Id>
""".utf8)
let tail = Array("</Stmt></BkToCstmrStmt></Document>".utf8)
let limits = XMLLimits(maxBytes: 1 << 20, maxDepth: 32)

func testOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let input = [UInt8](FuzzEntry.data(bytes, count))
    for document in [input, head + input + tail] {
        let read = { BankStatementReader.read(document, file: "f.xml", limits: limits) }
        let file = read()
        let problems = file.consistencyProblems(rereading: read)
        fuzzCheck(problems.isEmpty, problems.joined(separator: "; "))
        // Wrapped in a camt.053 document, it is read as one (alone it may look like any format).
        if document != input { fuzzCheck(file.format == .camt053, "a camt.053 document read as \(String(describing: file.format))") }
        checkTokenizer(document)
    }
    return 0
}

/// Every start has its end, depth stays within the limit, and a document that declares a DTD
/// before its root gives no event at all.
func checkTokenizer(_ document: [UInt8]) {
    var tokenizer = XMLTokenizer(bytes: document, limits: limits)
    var open = 0
    var events = 0
    do {
        while let event = try tokenizer.next() {
            events += 1
            switch event {
            case .start: open += 1
            case .end: open -= 1
            case .text: break
            }
            fuzzCheck(open >= 0 && open <= limits.maxDepth, "depth \(open)")
            fuzzCheck(tokenizer.depth == open, "depth \(tokenizer.depth) while \(open) elements are open")
        }
        fuzzCheck(open == 0, "the document ended with \(open) elements open")
    } catch {
        fuzzCheck(!error.message.isEmpty, "an XML error without a message")
    }
    // Leading: after whitespace and at most one complete `<?…?>` declaration.
    var text = Substring(String(decoding: document.prefix(4096), as: UTF8.self)).drop { $0.isWhitespace }
    if text.hasPrefix("<?"), let end = text.range(of: "?>") { text = text[end.upperBound...].drop { $0.isWhitespace } }
    if text.hasPrefix("<!DOCTYPE") {
        fuzzCheck(events == 0, "events before a leading DOCTYPE")
    }
}
