#!/usr/bin/env python3
"""Writes the seed corpus under Fuzz/corpus/ from samples/api/ and jobs/ (docs/fuzzing.md).
Run from the repository root when the samples change; the output is committed."""
import json, pathlib

root = pathlib.Path(__file__).resolve().parent.parent
corpus = root / "Fuzz" / "corpus"

def write(target, name, data):
    folder = corpus / target
    folder.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    (folder / name).write_bytes(data)

def dump(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)

# page-decoder: real records from samples/api in both page shapes of CONTRACT.md
api = {f: json.loads((root / "samples/api" / f"{f}.json").read_text()) for f in
       ["payouts", "transactions", "invoices", "payment_requests", "customers"]}
for name, records in api.items():
    if name == "payouts":
        records = [{k: v for k, v in r.items() if k != "lines"} for r in records]
    page = records[:2]
    write("page-decoder", f"{name}-openapi", dump({"data": page, "has_next_page": True, "has_previous_page": False,
                                                   "start_cursor": "c0", "end_cursor": "c1"}))
    write("page-decoder", f"{name}-guide", dump({"data": page, "pagination": {"has_next_page": False, "end_cursor": None}}))
lines = api["payouts"][0]["lines"][:2]
write("page-decoder", "payout-lines-transactions-key", dump({"transactions": lines, "has_next_page": False}))
write("page-decoder", "payout-single", dump({k: v for k, v in api["payouts"][0].items() if k != "lines"}))
write("page-decoder", "empty-last-page", '{"data":[],"has_next_page":false,"end_cursor":null}')
write("page-decoder", "no-paging-fields", dump({"data": api["payment_requests"][:1]}))
bad = dict(api["transactions"][0]); bad["amount"] = "12.5"
missing = {k: v for k, v in api["transactions"][1].items() if k != "id"}
write("page-decoder", "unreadable-records", dump({"data": [bad, missing, 7, None, [1], {"id": "x", "amount": 1e30}],
                                                  "has_next_page": True, "end_cursor": "c2"}))
write("page-decoder", "wrong-shapes", '{"data":{"id":"po_1"},"pagination":[1],"has_next_page":"yes","end_cursor":5}')
write("page-decoder", "not-json", "<html><body>502 Bad Gateway</body></html>")
write("page-decoder", "truncated", dump({"data": api["invoices"][:1]})[:120])

# money: amounts as the API sends them (JSON numbers and strings) and at the Int64 limits
amounts = ["0", "-0", "150000", "-150000", "235550", "9223372036854775807", "-9223372036854775808",
           "9223372036854775808", "-9223372036854775809", "18446744073709551616", "00012", "-",
           '"150000"', '"-9223372036854775808"', '"9223372036854775808"', '"00012"', '""', '"12a"', '"-"',
           '"\\u0031\\u0032"', "1.5e2", "150000.0", "12.5", "1e30", "-1E-2", "1e-400", "true", "null", "{}", "[1]"]
for i, a in enumerate(amounts):
    write("money", f"amount-{i:02d}", a)

# retry-after: delay-seconds and the three HTTP-date forms of RFC 9110, valid and not
for i, v in enumerate(["0", "120", "  30\t", "99999999999999999999", "-1", "1.5", "",
                       "Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994",
                       "Sun Nov 16 08:49:37 1994", "Tue, 29 Feb 2028 23:59:60 GMT", "Sun, 31 Feb 2026 00:00:00 GMT",
                       "Thu, 01 Jan 1970 00:00:00 GMT", "Fri, 31 Dec 9999 23:59:59 GMT", "Mon, 01 Jan 0000 00:00:00 GMT",
                       "Tuesday, 24-Nov-69 00:00:00 GMT", "Tue, 24 Nov 2026 00:00:00 +0000", "sun, 06 nov 1994 08:49:37 gmt"]):
    write("retry-after", f"value-{i:02d}", v)

# job-file: the shipped job files and variations around every setting
for path in ["jobs/nightly.json", "jobs/credentials.example.json"]:
    write("job-file", pathlib.Path(path).name, (root / path).read_bytes())
full = {"description": "all settings", "base_url": "https://public-api.alternativepayments.io", "out": "/tmp/out",
        "since": "2026-11-02", "until": "2026-11-03T00:00:00Z", "fail_on": "warning", "concurrency": 4,
        "credentials_file": "/etc/c.json", "expected_payment_requests_file": "/etc/e.txt", "ca_bundle": "/etc/ca.pem",
        "max_attempts": 5, "retry_budget_seconds": 120}
write("job-file", "all-settings", json.dumps(full, indent=2))
write("job-file", "unknown-key", '{"out":"x","concurency":4}')
write("job-file", "wrong-type", '{"concurrency":"eight","max_attempts":1.5}')
write("job-file", "nulls", '{"out":null,"concurrency":null}')
write("job-file", "not-object", "[1,2]")
write("job-file", "big-number", '{"concurrency":99999999999999999999}')
write("job-file", "truncated", '{"out": ')
write("job-file", "empty", "")

# camt, bai2, mt940, csv: the sample statements (samples/bank, from `ap-sandbox statements`) and
# the shapes the readers must refuse without stopping
bank = root / "samples" / "bank"
for folder, target in [("camt.053", "camt"), ("camt.054", "camt"), ("bai2", "bai2"), ("mt940", "mt940"), ("csv", "csv")]:
    for path in sorted((bank / folder).glob("*-[12].*")):
        data = path.read_bytes()
        if target == "csv":
            data = data.split(b"\n", 1)[1]  # the fuzz target adds its own header
        write(target, f"{folder}-{path.stem}", data[:16384])
ntry = ('<Ntry><NtryRef>1</NtryRef><Amt Ccy="USD">12.34</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>'
        '<BookgDt><Dt>2026-11-04</Dt></BookgDt><AcctSvcrRef>R1</AcctSvcrRef><NtryDtls><TxDtls><Refs><EndToEndId>po_1'
        '</EndToEndId></Refs><RmtInf><Ustrd>A &amp; B &#x41;</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>')
write("camt", "entry", ntry)
write("camt", "entry-bad-amount", ntry.replace("12.34", "12.345"))
write("camt", "entry-jpy", ntry.replace('"USD">12.34', '"JPY">1234'))
write("camt", "doctype", '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e "x">]><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">&e;</Document>')
write("camt", "prefixed", '<c:Document xmlns:c="urn:iso:std:iso:20022:tech:xsd:camt.053.001.13"><c:BkToCstmrStmt><c:Stmt>'
      + ntry.replace("<", "<c:").replace("<c:/", "</c:") + '</c:Stmt></c:BkToCstmrStmt></c:Document>')
write("camt", "deep", "<a>" * 40 + "</a>" * 40)
write("camt", "truncated", ntry[:70])
write("bai2", "entries", "16,195,235550,0,BR-1,po_1,ALTERNATIVE PAYMENTS/\n88,MORE TEXT\n16,495,2500,V,261105,1200,BR-2,,FEE/\n"
      "16,195,700,S,100,200,400,,,NO REF/\n16,890,0,0,,,INFO/\n16,999,1,0,,,BAD CODE/\n49,0,7/\n98,0,1,9/\n99,0,1,11/\n")
write("bai2", "funds-d", "16,195,100,D,2,0,50,1,50,BR-3,,DISTRIBUTED/\n")
write("mt940", "lines", ":61:2611041104C2355,50NTRFpo_1//BR-1\nSUPPLEMENTARY\n:86:ALTERNATIVE PAYMENTS\n:61:2611041105D25,NCHGNONREF\n"
      ":86:166?00GUTSCHRIFT?20FEE?32SANDBOX?33BANK\n:61:2612310102RC1,NTRFX//Y\n:62F:C261104EUR2330,50\n-}\n")
write("mt940", "bad-lines", ":61:2611041104CXX12,NTRF\n:61:261304C1,00NTRF\n:61:261104C1,5\n")
write("csv", "signed", "2026-11-04,1234.56,USD,R1,ALTERNATIVE PAYMENTS po_1\n2026-11-05,-25,USD,,FEE\n\"2026-11-06\",\"1,0\",USD,,\"a \"\"b\"\"\"\n")
write("csv", "debit-credit", "04.11.2026;;1.234,56;TEXT\n05.11.2026;25,00;;FEE\n31.02.2026;;1,00;BAD\n")
