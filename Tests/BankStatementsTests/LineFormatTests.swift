import Foundation
import APModels
@testable import BankStatements
import Testing

@Suite struct BAI2Tests {
    let text = """
    01,BANK,CUST,261105,2300,1,,,2/
    02,CUST,BANK,1,261104,2300,USD,2/
    03,ACC-1,USD,010,100000,,,015,-5000,,/
    16,195,235550,0,BR-1,po_4001,ALTERNATIVE PAYMENTS PAYOUT, po_4001/
    88,CONTINUED TEXT
    16,495,2500,V,261105,1200,BR-2,,BANK FEE/
    16,195,12x0,0,BR-3,,BROKEN/
    16,195,700,S,100,200,400,,,NO BANK REF/
    16,890,0,0,,,INFO ONLY/
    49,0,7/
    03,ACC-2,JPY,010,5000,,/
    16,195,35000,0,BR-4,,JPY CREDIT/
    49,0,3/
    98,0,2,11/
    99,0,1,13/
    """

    @Test func readsAccountsEntriesAndBalancesExactly() throws {
        let file = BankStatementReader.read(Array(text.utf8), file: "f.bai")
        #expect(file.format == .bai2)
        #expect(file.unreadable == [BankUnreadable(file: "f.bai", position: 3, reason: "line 7: the amount \"12x0\" is not whole minor units")])
        #expect(file.statements.map(\.accountID) == ["ACC-1", "ACC-2"])
        let s = file.statements[0]
        #expect(s.opening?.amount == Money(minorUnits: 100000, currency: usd))
        #expect(s.closing?.amount == Money(minorUnits: -5000, currency: usd))
        #expect(s.coverageFrom?.description == "2026-11-04")
        #expect(s.coverageTo?.description == "2026-11-04")
        #expect(file.entries.map(\.id) == ["BR-1", "BR-2", "f.bai#4", "BR-4"])
        #expect(file.entries.map(\.direction) == [.credit, .debit, .credit, .credit])
        #expect(file.entries.map(\.amount.minorUnits) == [235550, 2500, 700, 35000])
        #expect(file.entries.map(\.currency.code) == ["USD", "USD", "USD", "JPY"])
        #expect(file.entries[0].remittanceInformation == "ALTERNATIVE PAYMENTS PAYOUT, po_4001 CONTINUED TEXT")
        #expect(file.entries[0].reference == "po_4001")
        #expect(file.entries[1].valueDate?.description == "2026-11-05")
        #expect(file.entries[2].remittanceInformation == "NO BANK REF")
    }

    @Test func aFileWithoutAHeaderIsUnreadableAsAWhole() {
        let file = BankStatementReader.read(Array("02,A,B,1,261104,,USD/\n".utf8), file: "x.bai", csvMapping: nil)
        #expect(file.format == nil)
        #expect(file.unreadable.map(\.id) == ["x.bai#0"])
    }
}

@Suite struct MT940Tests {
    let text = """
    {1:F01BANKXXXX0000000000}{2:O940BANKXXXXN}{4:
    :20:STMT1
    :25:DE89370400440532013000
    :28C:7/1
    :60F:C261103EUR1000,00
    :61:2611041104C2355,50NTRFpo_4001//BR-1
    SUPPLEMENTARY
    :86:ALTERNATIVE PAYMENTS PAYOUT
    po_4001
    :61:2611041105D25,NCHGNONREF
    :86:166?00GUTSCHRIFT?20BANK FEE?32SANDBOX?33BANK
    :61:2611041104CXX12,NTRFNONREF//NONREF
    :61:261104C1,5
    :62F:C261104EUR3329,00
    -}
    """

    @Test func readsStatementLinesExactly() throws {
        let file = BankStatementReader.read(Array(text.utf8), file: "f.sta")
        #expect(file.format == .mt940)
        #expect(file.unreadable == [
            BankUnreadable(file: "f.sta", position: 3, reason: "line 12: the amount \"\" is not a EUR amount (digits, decimal comma)"),
            BankUnreadable(file: "f.sta", position: 4, reason: "line 13: :61: has no transaction type (N, F or S and three characters) after the amount"),
        ])
        let s = try #require(file.statements.first)
        let eur = Currency(code: "EUR")!
        #expect(s.statementID == "STMT1/7/1")
        #expect(s.accountID == "DE89370400440532013000")
        #expect(s.opening == BankBalance(amount: Money(minorUnits: 100000, currency: eur), date: BankDate(iso: "2026-11-03")))
        #expect(s.closing == BankBalance(amount: Money(minorUnits: 332900, currency: eur), date: BankDate(iso: "2026-11-04")))
        #expect(s.coverageFrom?.description == "2026-11-04")
        #expect(s.coverageTo?.description == "2026-11-04")
        #expect(file.entries == [
            BankEntry(statementFile: "f.sta", position: 1, bankReference: "BR-1", bookingDate: BankDate(iso: "2026-11-04")!,
                      valueDate: BankDate(iso: "2026-11-04"), direction: .credit, amount: Money(minorUnits: 235550, currency: eur),
                      reference: "po_4001", remittanceInformation: "ALTERNATIVE PAYMENTS PAYOUT po_4001",
                      additionalInformation: "SUPPLEMENTARY", accountID: "DE89370400440532013000"),
            BankEntry(statementFile: "f.sta", position: 2, bankReference: nil, bookingDate: BankDate(iso: "2026-11-05")!,
                      valueDate: BankDate(iso: "2026-11-04"), direction: .debit, amount: Money(minorUnits: 2500, currency: eur),
                      remittanceInformation: "166 GUTSCHRIFT BANK FEE SANDBOX BANK", counterpartyName: "SANDBOX BANK",
                      accountID: "DE89370400440532013000"),
        ])
        #expect(file.entries.map(\.id) == ["BR-1", "f.sta#2"])
    }

    @Test func theEntryDateCrossesTheYearEnd() {
        let text = ":20:X\n:60F:C261231USD0,\n:61:2612310102C1,00NTRFREF//B1\n:62F:C270102USD1,00\n"
        let file = BankStatementReader.read(Array(text.utf8), file: "y.sta")
        #expect(file.entries.map(\.bookingDate.description) == ["2027-01-02"])
        #expect(file.entries.map(\.valueDate?.description) == ["2026-12-31"])
    }
}

@Suite struct CSVTests {
    let mapping = CSVMapping(date: "Date", debit: "Debit", credit: "Credit", fixedCurrency: "EUR", id: "Ref",
                             reference: "Reference", text: ["Text", "More"], counterparty: "Name", account: "ACC",
                             decimalSeparator: ",", thousandsSeparator: ".", dateFormat: "dd.MM.yy", delimiter: ";")

    @Test func readsRowsThroughTheMapping() throws {
        let text = "\u{FEFF}Date;Debit;Credit;Ref;Reference;Text;More;Name\r\n"
            + "04.11.26;;\"1.234,56\";R1;po_1;\"ALTERNATIVE; PAYMENTS\";\"say \"\"hi\"\"\";AP\r\n"
            + "05.11.26;25,00;;;;FEE;;Bank\r\n"
            + "31.02.26;;1,00;;;BAD DATE;;\r\n"
            + "06.11.26;;1,001;;;TOO MANY DIGITS;;\r\n"
            + ";;;;;;;\r\n"
            + "06.11.26;1,00;2,00;;;BOTH;;\r\n"
        let file = BankStatementReader.read(Array(text.utf8), file: "e.csv", csvMapping: mapping)
        #expect(file.format == .csv)
        let eur = Currency(code: "EUR")!
        #expect(file.entries == [
            BankEntry(statementFile: "e.csv", position: 1, bankReference: "R1", bookingDate: BankDate(iso: "2026-11-04")!,
                      direction: .credit, amount: Money(minorUnits: 123456, currency: eur), reference: "po_1",
                      remittanceInformation: "ALTERNATIVE; PAYMENTS say \"hi\"", counterpartyName: "AP", accountID: "ACC"),
            BankEntry(statementFile: "e.csv", position: 2, bankReference: nil, bookingDate: BankDate(iso: "2026-11-05")!,
                      direction: .debit, amount: Money(minorUnits: 2500, currency: eur), remittanceInformation: "FEE",
                      counterpartyName: "Bank", accountID: "ACC"),
        ])
        #expect(file.unreadable == [
            BankUnreadable(file: "e.csv", position: 3, reason: "line 4: the date \"31.02.26\" does not follow dd.MM.yy"),
            BankUnreadable(file: "e.csv", position: 4, reason: "line 5: amount \"1,001\" is not a whole number of minor units in EUR"),
            BankUnreadable(file: "e.csv", position: 5, reason: "line 7: both the debit and the credit column are filled"),
        ])
        #expect(file.statements.first?.coverageFrom?.description == "2026-11-04")
        #expect(file.statements.first?.coverageTo?.description == "2026-11-05")
    }

    @Test func aMissingColumnOrABadMappingIsNamed() {
        let file = BankStatementReader.read(Array("Date;Debit\n".utf8), file: "m.csv", csvMapping: mapping)
        #expect(file.unreadable == [BankUnreadable(file: "m.csv", position: 0, reason: "line 1: the header has no column \"Credit\" named by the CSV mapping")])
        let bad = CSVMapping(date: "Date", amount: "Amount")
        #expect(bad.problem == "the CSV mapping needs a currency column or a fixed_currency")
    }

    @Test func theMappingDecodesFromSnakeCaseJSON() throws {
        let json = #"{"date":"D","amount":"A","fixed_currency":"USD","decimal_separator":",","thousands_separator":".","date_format":"dd/MM/yyyy","value_date":"V"}"#
        let m = try JSONDecoder().decode(CSVMapping.self, from: Data(json.utf8))
        #expect(m == CSVMapping(date: "D", valueDate: "V", amount: "A", fixedCurrency: "USD", decimalSeparator: ",",
                                thousandsSeparator: ".", dateFormat: "dd/MM/yyyy"))
    }
}

@Suite struct AmountAndDateTests {
    @Test func decimalTextToMinorUnitsExactly() {
        #expect(DecimalAmount.parse("1234.56", exponent: 2) == .success(123456))
        #expect(DecimalAmount.parse("-0.5", exponent: 2) == .success(-50))
        #expect(DecimalAmount.parse("12.00", exponent: 0) == .success(12))
        #expect(DecimalAmount.parse("1.2345", exponent: 3) == .failure(.notAnInteger("\"1.2345\"")))
        #expect(DecimalAmount.parse("1,234,567.891", exponent: 3, thousandsSeparator: ",") == .success(1_234_567_891))
        #expect(DecimalAmount.parse("12,34.5", exponent: 2, thousandsSeparator: ",") == .failure(.notAnInteger("\"12,34.5\"")))
        #expect(DecimalAmount.parse("92233720368547758.08", exponent: 2) == .failure(.outOfRange("\"92233720368547758.08\"")))
        #expect(DecimalAmount.parse("92233720368547758.07", exponent: 2) == .success(Int64.max))
        #expect(DecimalAmount.parse(".", exponent: 2) == .failure(.notAnInteger("\".\"")))
        #expect(DecimalAmount.parse("1e5", exponent: 2) == .failure(.notAnInteger("\"1e5\"")))
    }

    @Test func businessDaysSkipWeekends() {
        let friday = BankDate(iso: "2026-11-06")!
        #expect(friday.isWeekend == false)
        #expect(friday.adding(days: 1).isWeekend)
        #expect(friday.adding(businessDays: 1).description == "2026-11-09")
        #expect(friday.adding(businessDays: 3).description == "2026-11-11")
        #expect(BankDate(iso: "2026-11-07")!.adding(businessDays: 3).description == "2026-11-11")
        #expect(BankDate(iso: "2026-02-30") == nil)
        #expect(BankDate(yymmdd: "991231")?.description == "1999-12-31")
    }
}

@Suite struct DetectionAndDeduplicationTests {
    @Test func formatsAreDetectedFromTheContent() {
        #expect(BankStatementReader.detect(Array(camt053(entries: "").utf8)) == .camt053)
        #expect(BankStatementReader.detect(Array("\u{FEFF}  <Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.054.001.08\">".utf8)) == .camt054)
        #expect(BankStatementReader.detect(Array("01,A,B,261105,2300,1,,,2/\n".utf8)) == .bai2)
        #expect(BankStatementReader.detect(Array("{1:F01X}{2:O940}{4:\n:20:X\n".utf8)) == .mt940)
        #expect(BankStatementReader.detect(Array(":20:X\n:25:Y\n".utf8)) == .mt940)
        #expect(BankStatementReader.detect(Array("Date,Amount\n".utf8)) == nil)
        #expect(BankStatementReader.detect(Array("Date,Amount\n".utf8), csvMapping: CSVMapping(date: "Date", amount: "Amount")) == .csv)
        let unknown = BankStatementReader.read(Array("hello".utf8), file: "h.txt")
        #expect(unknown.unreadable == [BankUnreadable(file: "h.txt", position: 0,
            reason: "the content is not camt.053, camt.054, BAI2 or MT940 (a CSV export needs a column mapping in the job file)")])
    }

    @Test func overlappingFilesCountEachEntryOnce() {
        let mapping = CSVMapping(date: "d", amount: "a", fixedCurrency: "USD", id: "id", text: ["t"])
        let first = "d,a,id,t\n2026-11-04,1.00,R1,x\n2026-11-04,2.00,,same\n2026-11-04,2.00,,same\n2026-11-05,3.00,,other\n"
        let second = "d,a,id,t\n2026-11-04,1.00,R1,x\n2026-11-04,2.00,,same\n2026-11-04,2.00,,same\n2026-11-04,2.00,,same\n2026-11-06,4.00,R2,y\n"
        let a = BankStatementReader.read(Array(first.utf8), file: "a.csv", csvMapping: mapping)
        let b = BankStatementReader.read(Array(second.utf8), file: "b.csv", csvMapping: mapping)
        let set = BankStatementSet.combine([a, b])
        // R1 once; "same" 2 times in a, 3 in b: max 3; "other" and R2 once each.
        #expect(set.entries.map(\.id) == ["R1", "a.csv#2", "a.csv#3", "a.csv#4", "b.csv#4", "R2"])
        #expect(set.statements.count == 2)
        let reversed = BankStatementSet.combine([b, a])
        #expect(reversed.entries.map(\.id) == ["R1", "b.csv#2", "b.csv#3", "b.csv#4", "R2", "a.csv#4"])
    }
}
