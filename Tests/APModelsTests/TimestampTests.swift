import APModels
import Foundation
import Testing

@Suite struct TimestampTests {
    @Test(arguments: [
        ("2024-01-10T15:00:00Z", Int64(1_704_898_800), Int32(0)),
        ("2024-01-10t15:00:00z", 1_704_898_800, 0),
        ("2024-01-10 15:00:00Z", 1_704_898_800, 0),
        ("2024-01-10T17:00:00+02:00", 1_704_898_800, 0),
        ("2024-01-10T10:30:00-04:30", 1_704_898_800, 0),
        ("2024-01-10T15:00:00.5Z", 1_704_898_800, 500_000_000),
        ("2024-01-10T15:00:00.123456789Z", 1_704_898_800, 123_456_789),
        ("2024-01-10T15:00:00.1234567891Z", 1_704_898_800, 123_456_789), // extra digits truncated
        ("1970-01-01T00:00:00Z", 0, 0),
        ("1969-12-31T23:59:59Z", -1, 0),
        ("2024-02-29T00:00:00Z", 1_709_164_800, 0),
        ("2000-02-29T00:00:00Z", 951_782_400, 0),
        ("2016-12-31T23:59:60Z", 1_483_228_799, 0), // leap second folded into :59
    ])
    func parses(text: String, seconds: Int64, nanos: Int32) throws {
        let t = try #require(Timestamp.parse(text))
        #expect(t.epochSeconds == seconds)
        #expect(t.nanoseconds == nanos)
    }

    @Test(arguments: [
        "", "2024-01-10", "2024-01-10T15:00:00", "2024-13-01T00:00:00Z", "2024-00-01T00:00:00Z",
        "2023-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2024-04-31T00:00:00Z", "2024-01-10T24:00:00Z",
        "2024-01-10T15:60:00Z", "2024-01-10T15:00:00.Z", "2024-01-10T15:00:00+0200", "2024-01-10T15:00:00Z ",
        "24-01-10T15:00:00Z", "2024-1-10T15:00:00Z", "２０２４-01-10T15:00:00Z",
    ])
    func rejects(text: String) {
        #expect(Timestamp.parse(text) == nil)
    }

    @Test func dateOnlyWhenAllowed() {
        #expect(Timestamp.parse("2024-01-10", allowDateOnly: true) == Timestamp(epochSeconds: 1_704_844_800))
        #expect(Timestamp.parse("2024-02-30", allowDateOnly: true) == nil)
    }

    @Test func formatsAsCanonicalUTC() throws {
        #expect(try #require(Timestamp.parse("2024-01-10T17:00:00+02:00")).rfc3339 == "2024-01-10T15:00:00Z")
        #expect(Timestamp(epochSeconds: 1_704_898_800, nanoseconds: 120_000_000).rfc3339 == "2024-01-10T15:00:00.12Z")
        #expect(Timestamp(epochSeconds: -1).rfc3339 == "1969-12-31T23:59:59Z")
        #expect(Timestamp(epochSeconds: 951_782_400).utcDate == "2000-02-29")
        #expect(Timestamp(epochSeconds: 1_704_898_800).startOfUTCDay.rfc3339 == "2024-01-10T00:00:00Z")
    }

    @Test func roundTripsThroughText() throws {
        for s: Int64 in [0, 1, -86_401, 951_782_400, 4_102_444_800, 253_402_300_799] {
            let t = Timestamp(epochSeconds: s, nanoseconds: 7)
            #expect(Timestamp.parse(t.rfc3339) == t)
        }
    }
}
