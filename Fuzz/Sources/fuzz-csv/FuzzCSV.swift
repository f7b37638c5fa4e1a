import APModels
import BankStatements
import Foundation
import FuzzSupport

/// The CSV reader through two mappings (signed amount, decimal point; debit/credit columns,
/// decimal comma and thousands points), the input after each one's header.
@main enum FuzzCSV {
    static func main() { FuzzEntry.main(testOneInput) }
}

let mappings: [(String, CSVMapping)] = [
    ("date,amount,currency,id,text\n", CSVMapping(date: "date", amount: "amount", currency: "currency", id: "id", text: ["text"])),
    ("Datum;Soll;Haben;Text\n", CSVMapping(date: "Datum", debit: "Soll", credit: "Haben", fixedCurrency: "EUR", text: ["Text"],
                                           decimalSeparator: ",", thousandsSeparator: ".", dateFormat: "dd.MM.yyyy", delimiter: ";")),
]

func testOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let input = [UInt8](FuzzEntry.data(bytes, count))
    for (header, mapping) in mappings {
        let document = Array(header.utf8) + input
        let read = { BankStatementReader.read(document, file: "f.csv", csvMapping: mapping) }
        let file = read()
        let problems = file.consistencyProblems(rereading: read)
        fuzzCheck(problems.isEmpty, problems.joined(separator: "; "))
        // Read as CSV (text with MT940 field lines is read as MT940 whatever the mapping), a fixed
        // currency is every entry's.
        for e in file.entries where file.format == .csv {
            fuzzCheck(e.amount.currency.code == (mapping.fixedCurrency ?? e.amount.currency.code), "currency \(e.amount.currency)")
        }
    }
    return 0
}
