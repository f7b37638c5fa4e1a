import Foundation
import APModels
import BankStatements
import Testing

func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }
let usd = Currency(code: "USD")!

/// A camt.053 document of the given version with one statement; `entries` is raw <Ntry> XML.
func camt053(version: String = "08", prefix: String = "", entries: String, balances: Bool = true) -> String {
    let p = prefix.isEmpty ? "" : prefix + ":"
    let xmlns = prefix.isEmpty ? "xmlns" : "xmlns:\(prefix)"
    return """
    <?xml version="1.0" encoding="UTF-8"?>
    <\(p)Document \(xmlns)="urn:iso:std:iso:20022:tech:xsd:camt.053.001.\(version)">
      <\(p)BkToCstmrStmt>
        <\(p)GrpHdr><\(p)MsgId>M1</\(p)MsgId></\(p)GrpHdr>
        <\(p)Stmt>
          <\(p)Id>S-1</\(p)Id>
          <\(p)FrToDt><\(p)FrDtTm>2026-11-02T00:00:00</\(p)FrDtTm><\(p)ToDtTm>2026-11-06T23:59:59+01:00</\(p)ToDtTm></\(p)FrToDt>
          <\(p)Acct><\(p)Id><\(p)IBAN>DE89370400440532013000</\(p)IBAN></\(p)Id></\(p)Acct>
    \(balances ? """
          <\(p)Bal><\(p)Tp><\(p)CdOrPrtry><\(p)Cd>OPBD</\(p)Cd></\(p)CdOrPrtry></\(p)Tp><\(p)Amt Ccy="USD">100.00</\(p)Amt><\(p)CdtDbtInd>DBIT</\(p)CdtDbtInd><\(p)Dt><\(p)Dt>2026-11-02</\(p)Dt></\(p)Dt></\(p)Bal>
          <\(p)Bal><\(p)Tp><\(p)CdOrPrtry><\(p)Cd>CLBD</\(p)Cd></\(p)CdOrPrtry></\(p)Tp><\(p)Amt Ccy="USD">2255.50</\(p)Amt><\(p)CdtDbtInd>CRDT</\(p)CdtDbtInd><\(p)Dt><\(p)Dt>2026-11-06</\(p)Dt></\(p)Dt></\(p)Bal>
    """ : "")
    \(entries)
        </\(p)Stmt>
      </\(p)BkToCstmrStmt>
    </\(p)Document>
    """
}

let creditNtry = """
      <Ntry>
        <NtryRef>N-1</NtryRef>
        <Amt Ccy="USD">2355.50</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd>
        <Sts><Cd>BOOK</Cd></Sts>
        <BookgDt><Dt>2026-11-04</Dt></BookgDt>
        <ValDt><DtTm>2026-11-05T10:00:00</DtTm></ValDt>
        <AcctSvcrRef>BR-0001</AcctSvcrRef>
        <AddtlNtryInf>SEPA CREDIT</AddtlNtryInf>
        <NtryDtls><TxDtls>
          <Refs><InstrId>I-9</InstrId><EndToEndId>po_4001</EndToEndId></Refs>
          <RltdPties><Dbtr><Pty><Nm>Alternative Payments Inc.</Nm></Pty></Dbtr><Cdtr><Pty><Nm>Us</Nm></Pty></Cdtr></RltdPties>
          <RmtInf><Ustrd>PAYOUT po_4001</Ustrd><Ustrd>&amp; more &#x41;&#66;</Ustrd></RmtInf>
        </TxDtls></NtryDtls>
      </Ntry>
      <Ntry>
        <NtryRef>N-2</NtryRef>
        <Amt Ccy="USD">25</Amt>
        <CdtDbtInd>DBIT</CdtDbtInd>
        <Sts>BOOK</Sts>
        <BookgDt><Dt>2026-11-05</Dt></BookgDt>
        <NtryDtls><TxDtls><RltdPties><Cdtr><Nm>Sandbox Bank</Nm></Cdtr></RltdPties><RmtInf><Ustrd><![CDATA[FEE <monthly>]]></Ustrd></RmtInf></TxDtls></NtryDtls>
      </Ntry>
      <Ntry>
        <Amt Ccy="USD">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>PDNG</Cd></Sts><BookgDt><Dt>2026-11-06</Dt></BookgDt>
      </Ntry>
"""

@Suite struct CamtTests {
    @Test(arguments: ["02", "08", "13"])
    func readsEachVersionExactly(version: String) throws {
        let file = BankStatementReader.read(bytes(camt053(version: version, entries: creditNtry)), file: "s.xml")
        #expect(file.format == .camt053)
        #expect(file.unreadable == [])
        let statement = try #require(file.statements.first)
        #expect(statement.accountID == "DE89370400440532013000")
        #expect(statement.statementID == "S-1")
        #expect(statement.opening == BankBalance(amount: Money(minorUnits: -10000, currency: usd), date: BankDate(iso: "2026-11-02")))
        #expect(statement.closing == BankBalance(amount: Money(minorUnits: 225550, currency: usd), date: BankDate(iso: "2026-11-06")))
        #expect(statement.coverageFrom?.description == "2026-11-02")
        #expect(statement.coverageTo?.description == "2026-11-06")
        #expect(statement.entries == [
            BankEntry(statementFile: "s.xml", position: 1, bankReference: "BR-0001", bookingDate: BankDate(iso: "2026-11-04")!,
                      valueDate: BankDate(iso: "2026-11-05"), direction: .credit, amount: Money(minorUnits: 235550, currency: usd),
                      reference: "I-9", remittanceInformation: "PAYOUT po_4001 & more AB", endToEndID: "po_4001",
                      additionalInformation: "SEPA CREDIT", counterpartyName: "Alternative Payments Inc.",
                      accountID: "DE89370400440532013000"),
            BankEntry(statementFile: "s.xml", position: 2, bankReference: "N-2", bookingDate: BankDate(iso: "2026-11-05")!,
                      direction: .debit, amount: Money(minorUnits: 2500, currency: usd), remittanceInformation: "FEE <monthly>",
                      counterpartyName: "Sandbox Bank", accountID: "DE89370400440532013000"),
        ])
        #expect(statement.entries.map(\.id) == ["BR-0001", "N-2"])
    }

    @Test func prefixedNamespacesAreResolved() throws {
        let ntry = creditNtry.replacingOccurrences(of: "<", with: "<c:").replacingOccurrences(of: "<c:/", with: "</c:")
            .replacingOccurrences(of: "<c:![CDATA[", with: "<![CDATA[").replacingOccurrences(of: "<c:monthly>", with: "<monthly>")
        let file = BankStatementReader.read(bytes(camt053(prefix: "c", entries: ntry)), file: "p.xml")
        #expect(file.unreadable == [])
        #expect(file.entries.map(\.id) == ["BR-0001", "N-2"])
        #expect(file.entries.first?.amount.minorUnits == 235550)
    }

    @Test func camt054NotificationsAreRead() throws {
        let xml = """
        <Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"><BkToCstmrDbtCdtNtfctn>
        <GrpHdr><MsgId>1</MsgId></GrpHdr>
        <Ntfctn><Id>N</Id><Acct><Id><Othr><Id>ACC-1</Id></Othr></Id></Acct>
        <Ntry><Amt Ccy="JPY">35000</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2026-11-09</Dt></BookgDt>
        <NtryDtls><TxDtls><RltdPties><Dbtr><Nm>ALTERNATIVE PAYMENTS</Nm></Dbtr></RltdPties></TxDtls></NtryDtls></Ntry>
        </Ntfctn></BkToCstmrDbtCdtNtfctn></Document>
        """
        let file = BankStatementReader.read(bytes(xml), file: "n.xml")
        #expect(file.format == .camt054)
        #expect(file.unreadable == [])
        let entry = try #require(file.entries.first)
        #expect(entry.id == "n.xml#1")
        #expect(entry.amount == Money(minorUnits: 35000, currency: Currency(code: "JPY")!))
        #expect(entry.counterpartyName == "ALTERNATIVE PAYMENTS")
        #expect(file.statements.first?.coverageFrom?.description == "2026-11-09")
        #expect(file.statements.first?.accountID == "ACC-1")
    }

    @Test func unsupportedVersionsAndOtherDocumentsAreRefused() {
        let v14 = BankStatementReader.read(bytes(camt053(version: "14", entries: "")), file: "v.xml")
        #expect(v14.unreadable.map(\.id) == ["v.xml#0"])
        #expect(v14.unreadable.first?.reason.contains("not a supported version (001.02 to 001.13)") == true)
        #expect(BankStatementReader.detect(bytes("<html><body/></html>")) == nil)
    }

    @Test func aBadEntryIsUnreadableAndTheRestIsRead() {
        let entries = """
              <Ntry><Amt Ccy="USD">12.345</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2026-11-04</Dt></BookgDt></Ntry>
              <Ntry><Amt Ccy="USD">1.00</Amt><CdtDbtInd>XXXX</CdtDbtInd><BookgDt><Dt>2026-11-04</Dt></BookgDt></Ntry>
              <Ntry><Amt Ccy="USD">2.00</Amt><CdtDbtInd>CRDT</CdtDbtInd></Ntry>
              <Ntry><AcctSvcrRef>OK</AcctSvcrRef><Amt Ccy="USD">3.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2026-11-04</Dt></BookgDt></Ntry>
        """
        let file = BankStatementReader.read(bytes(camt053(entries: entries, balances: false)), file: "b.xml")
        #expect(file.unreadable.map(\.id) == ["b.xml#1", "b.xml#2", "b.xml#3"])
        #expect(file.unreadable.map(\.reason) == [
            "line 10: amount \"12.345\" is not a whole number of minor units in USD",
            "line 11: CdtDbtInd is \"XXXX\", not CRDT or DBIT",
            "line 12: the entry has no readable BookgDt or ValDt",
        ])
        #expect(file.entries.map(\.id) == ["OK"])
        #expect(file.entries.map(\.amount.minorUnits) == [300])
    }

    @Test func malformedXMLKeepsTheEntriesBeforeIt() {
        let entries = """
              <Ntry><AcctSvcrRef>A</AcctSvcrRef><Amt Ccy="USD">3.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2026-11-04</Dt></BookgDt></Ntry>
              <Ntry><Amt Ccy="USD">3.00</Amt></Wrong>
        """
        let file = BankStatementReader.read(bytes(camt053(entries: entries, balances: false)), file: "m.xml")
        #expect(file.entries.map(\.id) == ["A"])
        #expect(file.unreadable.map(\.id) == ["m.xml#2"])
        #expect(file.unreadable.first?.reason == "the XML cannot be read (line 11: </Wrong> closes <Ntry>); entries after #1 are missing")
    }
}
