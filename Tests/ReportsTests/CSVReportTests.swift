import CSVReading
@testable import Reports
import Testing

/// Exact bytes of each CSV for `sampleResult`: quoting, formula-injection probes, unicode,
/// USD / JPY / BHD decimals and a negative difference that stays a plain number.
@Suite struct CSVReportTests {
    @Test func payoutsCSV() {
        let f = PayoutsCSV.render(sampleResult)
        #expect(f.name == "payouts.csv")
        #expect(f.rowCount == 3)
        #expect(text(f.bytes) == crlf(
            "payout_id,status,created_at,currency,amount_minor,amount,computed_amount_minor,computed_amount,difference_minor,difference,line_count,diagnostic_count",
            "po_1,succeeded,2024-01-10T12:00:00Z,USD,147500,1475.00,148750,1487.50,-1250,-12.50,3,2",
            "po_jpy,succeeded,2024-01-10T13:00:00Z,JPY,1500,1500,1500,1500,0,0,1,1",
            "po_bhd,'@hold,2024-01-10T14:00:00.5Z,BHD,-1500,-1.500,-1500,-1.500,0,0.000,1,0"))
    }

    @Test func transactionsCSV() {
        let f = TransactionsCSV.render(sampleResult)
        #expect(f.name == "transactions.csv")
        #expect(f.rowCount == 5)
        #expect(text(f.bytes) == crlf(
            "payout_id,position,transaction_id,type,direction,status,currency,amount_minor,amount,customer_id,match,invoice_id,payment_request_id,candidate_invoice_ids,counted_in_amount,first_seen_in_payout_id",
            #"po_1,0,"txn,1",payment,inbound,succeeded,USD,150000,1500.00,cus_é,payout_link,"inv_""q""",,,true,"#,
            "po_1,1,'=1+1,fee,outbound,\"'\r=x\",USD,1250,12.50,,not_applicable,,,,true,",
            "po_1,2,txn_bad,,,,,,,,unreadable,,,,false,",
            "po_jpy,0,'+1,payment,inbound,succeeded,JPY,1500,1500,日本語,suggested,,,\"'\t=x;@SUM(A1)\",true,po_1",
            "po_bhd,0,'-1,refund,outbound,succeeded,BHD,1500,1.500,,payout_link,,pr_1,,true,"))
    }

    @Test func invoicesCSV() {
        let f = InvoicesCSV.render(sampleResult)
        #expect(f.name == "invoices.csv")
        #expect(f.rowCount == 2)
        #expect(text(f.bytes) == crlf(
            "invoice_id,customer_id,status,currency,amount_minor,amount,net_settled_minor,net_settled,settled_payment_count,settled_payment_ids,state,diagnostic_count",
            "'@SUM(A1),日本語,OPEN,JPY,1500,1500,0,0,0,,unsettled,0",
            #""inv_""q""",cus_é,PAID,USD,150000,1500.00,150000,1500.00,1,"txn,1",settled,0"#))
    }

    @Test func diagnosticsCSV() {
        let f = DiagnosticsCSV.render(sampleResult)
        #expect(f.name == "diagnostics.csv")
        #expect(f.rowCount == 3)
        #expect(text(f.bytes) == crlf(
            "severity,code,payout_id,transaction_id,invoice_id,payment_request_id,currency,expected_minor,expected,actual_minor,actual,delta_minor,delta,candidate_invoice_ids,message,endpoint,reason,raw_json,fingerprint,status,first_seen,age_days,"
                + "amount_at_stake_minor,amount_at_stake,ageing_bucket,disposition,acknowledged_by,acknowledged_reason,acknowledged_until,bank_entry_id,candidate_bank_entry_ids",
            "error,PAYOUT_AMOUNT_MISMATCH,po_1,,,,USD,148750,1487.50,147500,1475.00,-1250,-12.50,,Payout po_1 pays 1475.00 USD but its transactions add up to 1487.50 USD.,,,,PAYOUT_AMOUNT_MISMATCH|po_1|||,,,,1250,12.50,0-7,open,,,,,",
            #"error,RECORD_UNREADABLE,po_1,txn_bad,,,,,,,,,,,"A transaction of payout po_1 cannot be read:"#
                + "\n" + #"fix it at the source.",GET /payouts/po_1/transactions,"amount ""12.5"" is not a whole number of minor units","{""amount"":""12.5"",""id"":""txn_bad""}",RECORD_UNREADABLE|po_1|txn_bad||,,,,,,0-7,open,,,,,"#,
            "warning,TXN_SUGGESTED_MATCH,po_jpy,'+1,,,JPY,1500,1500,1500,1500,0,0,\"'\t=x;@SUM(A1)\",\"'-1 candidate, \"\"check\"\" it\",,,,TXN_SUGGESTED_MATCH|po_jpy|+1||,,,,1500,1500,0-7,open,,,,,"))
    }

    @Test func anEmptyResultGivesHeadersOnly() {
        let files = ReportRenderer.render(emptyResult, run: run)
        for (name, header) in [
            ("payouts.csv", PayoutsCSV.header), ("transactions.csv", TransactionsCSV.header),
            ("invoices.csv", InvoicesCSV.header), ("diagnostics.csv", DiagnosticsCSV.header), ("bank.csv", BankCSV.header),
        ] {
            let f = file(name, in: files)
            #expect(f.rowCount == 0)
            #expect(text(f.bytes) == header.joined(separator: ",") + "\r\n", "\(name)")
        }
    }

    @Test func headersAreTheDocumentedColumnsInOrder() {
        #expect(PayoutsCSV.header.count == 12)
        #expect(TransactionsCSV.header.count == 16)
        #expect(InvoicesCSV.header.count == 12)
        #expect(DiagnosticsCSV.header.count == 31)
        #expect(ExceptionsCSV.header.count == 21)
        #expect(BankCSV.header.count == 11)
        // Every row has exactly one cell per column.
        for f in [PayoutsCSV.render(sampleResult), TransactionsCSV.render(sampleResult),
                  InvoicesCSV.render(sampleResult), DiagnosticsCSV.render(sampleResult)] {
            let rows = CSVReader.rows(text(f.bytes))
            #expect(rows.count == f.rowCount + 1, "\(f.name)")
            #expect(Set(rows.map(\.count)).count == 1, "\(f.name)")
        }
    }
}

extension CSVReportTests {
    @Test func cellsParseBackToTheDefusedTextAndPlainNumbers() throws {
        let rows = CSVReader.rows(text(TransactionsCSV.render(sampleResult).bytes))
        try #require(rows.count == 6)
        #expect(rows[1][2] == "txn,1")
        #expect(rows[1][11] == "inv_\"q\"")
        #expect(rows[2][2] == "'=1+1")
        #expect(rows[2][5] == "'\r=x")
        #expect(rows[4][9] == "日本語")
        #expect(rows[4][13] == "'\t=x;@SUM(A1)")
        let payouts = CSVReader.rows(text(PayoutsCSV.render(sampleResult).bytes))
        try #require(payouts.count == 4)
        #expect(Array(payouts[1][8...9]) == ["-1250", "-12.50"])
        #expect(Array(payouts[3][4...5]) == ["-1500", "-1.500"])
    }
}
