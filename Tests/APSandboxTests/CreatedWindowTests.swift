@testable import APSandbox
import Testing

/// A created_at window is found by binary search in list order; it must select exactly what
/// checking every record with `SandboxStore.inWindow` selects.
@Suite struct CreatedWindowTests {
    static let records: [JSONObject] = {
        var records: [JSONObject] = []
        let times = ["2024-01-01T00:00:00Z", "2024-01-01T00:00:00Z", "2024-01-01T00:00:01Z", "2024-01-01T05:00:00+02:00",
                     "2024-01-02", "2024-01-02T00:00:00.500Z", "2024-01-03T12:00:00Z", "2024-01-03T12:00:00Z", "2024-01-05T00:00:00Z"]
        for (i, t) in times.enumerated() {
            records.append(["id": .string("inv_\(i)"), "status": .string(i % 3 == 0 ? "OPEN" : "PAID"), "created_at": .string(t)])
        }
        records.append(["id": .string("inv_nodate"), "status": .string("PAID")])
        records.append(["id": .string("inv_baddate"), "status": .string("PAID"), "created_at": .string("yesterday")])
        return records
    }()

    @Test func everyWindowSelectsWhatAScanSelects() throws {
        let points: [Int64?] = [nil] + [1_704_060_000, 1_704_067_199, 1_704_067_200, 1_704_067_201, 1_704_085_200,
                                        1_704_153_600, 1_704_153_601, 1_704_283_200, 1_704_412_800, 1_704_412_801, 1_800_000_000]
        var table = RecordTable(Self.records)
        var checked = 0
        for start in points {
            for end in points {
                for status in [nil, "PAID"] as [String?] {
                    var query = ["n": "\(checked)"] // a distinct filter each time: no cached answer
                    if let status { query["status"] = status }
                    let include: (JSONObject) -> Bool = { record in status.map { record.string("status") == $0 } ?? true }
                    let bySearch = table.sorted(query: query, createdAt: (start, end), where: include).compactMap(\.id)
                    let byScan = table.sorted { include($0) && SandboxStore.inWindow($0.string("created_at"), (start, end)) }.compactMap(\.id)
                    #expect(bySearch == byScan, "window \(String(describing: start))...\(String(describing: end)) status \(status ?? "any")")
                    checked += 1
                }
            }
        }
        #expect(checked == 288)
        // No window: every record, the undated ones last.
        #expect(table.sorted(query: ["all": "1"], createdAt: (nil, nil), where: { _ in true }).compactMap(\.id).suffix(2) == ["inv_baddate", "inv_nodate"])
    }
}
