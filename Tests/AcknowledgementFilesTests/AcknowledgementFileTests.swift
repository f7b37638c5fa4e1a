import AcknowledgementFiles
import APModels
import Foundation
import Reconciliation
import Testing

/// The acknowledgements file: exact bytes of ack/unack edits, parsing and its errors.
@Suite struct AcknowledgementFileTests {
    let usd = Currency(code: "USD")!
    func ts(_ text: String) -> Timestamp { Timestamp.parse(text, allowDateOnly: true)! }

    var first: Acknowledgement {
        Acknowledgement(fingerprint: "TXN_UNLINKED|po_2|t_2||", reason: "refund of a \"test\" order", by: "bob",
                        at: ts("2026-12-02T08:30:00Z"))
    }
    var second: Acknowledgement {
        Acknowledgement(fingerprint: "PAYOUT_AMOUNT_MISMATCH|po_1|||", reason: "provider fee, credited in January", by: "alice",
                        at: ts("2026-12-01T09:00:00Z"), until: ts("2027-01-31"), expected: 1000, actual: 900, currency: usd)
    }

    static let twoEntries = """
    {
      "acknowledgements": [
        {
          "fingerprint": "PAYOUT_AMOUNT_MISMATCH|po_1|||",
          "reason": "provider fee, credited in January",
          "by": "alice",
          "at": "2026-12-01T09:00:00Z",
          "until": "2027-01-31T00:00:00Z",
          "expected": 1000,
          "actual": 900,
          "currency": "USD"
        },
        {
          "fingerprint": "TXN_UNLINKED|po_2|t_2||",
          "reason": "refund of a \\"test\\" order",
          "by": "bob",
          "at": "2026-12-02T08:30:00Z"
        }
      ]
    }

    """

    @Test func ackAddsSortedEntriesWithStableBytes() throws {
        let (one, replacedOne) = try AcknowledgementFile.adding(first, to: Acknowledgements())
        let (two, replacedTwo) = try AcknowledgementFile.adding(second, to: one)
        #expect(replacedOne == false && replacedTwo == false)
        #expect(String(decoding: AcknowledgementFile.encode(two), as: UTF8.self) == Self.twoEntries)
        // Parse → encode gives the same bytes: a file written by ack survives a round trip unchanged.
        let parsed = try AcknowledgementFile.parse(Data(Self.twoEntries.utf8), path: "acks.json")
        #expect(AcknowledgementFile.encode(parsed) == Array(Self.twoEntries.utf8))
        #expect(parsed.entries == [second, first])
    }

    @Test func ackOfAPresentFingerprintReplacesIt() throws {
        let (one, _) = try AcknowledgementFile.adding(second, to: Acknowledgements([first, second]))
        var changed = second
        changed.actual = 800
        changed.reason = "fee went up"
        let (updated, replaced) = try AcknowledgementFile.adding(changed, to: one)
        #expect(replaced)
        #expect(updated.entries.map(\.reason) == ["refund of a \"test\" order", "fee went up"])
    }

    @Test func unackRemovesOneEntryAndRefusesAnUnknownOne() throws {
        let removed = try AcknowledgementFile.removing("TXN_UNLINKED|po_2|t_2||", from: Acknowledgements([first, second]), path: "acks.json")
        #expect(removed.entries == [second])
        let empty = try AcknowledgementFile.removing("PAYOUT_AMOUNT_MISMATCH|po_1|||", from: removed, path: "acks.json")
        #expect(String(decoding: AcknowledgementFile.encode(empty), as: UTF8.self) == "{\n  \"acknowledgements\": []\n}\n")
        #expect(throws: AcknowledgementFileError("unack: acks.json has no acknowledgement for TXN_UNLINKED|po_9|t_9||; nothing changed")) {
            try AcknowledgementFile.removing("TXN_UNLINKED|po_9|t_9||", from: removed, path: "acks.json")
        }
    }

    @Test func badFilesAreRefusedNamingTheEntry() {
        func error(_ text: String) -> String? {
            do {
                _ = try AcknowledgementFile.parse(Data(text.utf8), path: "acks.json")
                return nil
            } catch {
                return error.description
            }
        }
        #expect(error("{") == "acknowledgements file acks.json is not valid JSON; fix it or restore it from version control")
        #expect(error("[]") == "acknowledgements file acks.json must be an object with one key, \"acknowledgements\", holding an array")
        #expect(error(#"{"acknowledgements":[{"fingerprint":"NOPE|x","reason":"r","by":"b","at":"2026-12-01T00:00:00Z"}]}"#)
            == "acknowledgements file acks.json: acknowledgements[0]: NOPE|x is not a diagnostic fingerprint (CODE|payout|transaction|invoice|payment_request); copy it from the fingerprint column of diagnostics.csv or exceptions.csv")
        #expect(error(#"{"acknowledgements":[{"fingerprint":"PAYOUT_FAILED|po_1|||","reason":"r","by":"b","at":"2026-12-01T00:00:00Z","owner":"x"}]}"#)
            == "acknowledgements file acks.json: acknowledgements[0] has unknown key(s) owner; known: fingerprint, reason, by, at, until, expected, actual, currency")
        #expect(error(#"{"acknowledgements":[{"fingerprint":"PAYOUT_FAILED|po_1|||","reason":" ","by":"b","at":"2026-12-01T00:00:00Z"}]}"#)
            == "acknowledgements file acks.json: acknowledgements[0] needs \"reason\", a non-empty string")
        #expect(error(#"{"acknowledgements":[{"fingerprint":"PAYOUT_FAILED|po_1|||","reason":"r","by":"b","at":"2026-12-01T00:00:00Z","expected":1.5}]}"#)
            == "acknowledgements file acks.json: acknowledgements[0]: \"expected\" must be a whole number of minor units")
        #expect(error(#"{"acknowledgements":[{"fingerprint":"PAYOUT_FAILED|po_1|||","reason":"r","by":"b","at":"2026-12-01T00:00:00Z"},{"fingerprint":"PAYOUT_FAILED|po_1|||","reason":"r","by":"b","at":"2026-12-01T00:00:00Z"}]}"#)
            == "acknowledgements file acks.json: acknowledgements[1] repeats fingerprint PAYOUT_FAILED|po_1|||; keep one entry per fingerprint")
    }
}
