import Foundation

/// The records a sandbox starts with. Records are kept as raw JSON objects and served as
/// stored, so a dataset may hold odd shapes on purpose (an amount of "5000", 12.5 or "abc",
/// unknown fields). Only `id` is required: the server looks records up by it.
public struct SandboxDataset: Sendable, Equatable {
    /// May embed "users" and "payment_methods" arrays (served by the sub-resources).
    public var customers: [JSONObject]
    public var invoices: [JSONObject]
    public var paymentRequests: [JSONObject]
    /// What GET /payments lists.
    public var transactions: [JSONObject]
    /// Each may embed "lines": the payout's transactions, served by GET /payouts/{id}/transactions.
    public var payouts: [JSONObject]

    public init(
        customers: [JSONObject] = [],
        invoices: [JSONObject] = [],
        paymentRequests: [JSONObject] = [],
        transactions: [JSONObject] = [],
        payouts: [JSONObject] = []
    ) {
        self.customers = customers
        self.invoices = invoices
        self.paymentRequests = paymentRequests
        self.transactions = transactions
        self.payouts = payouts
    }

    public static let empty = SandboxDataset()

    /// The file names of a dataset directory, each optional.
    public enum File: String, CaseIterable, Sendable {
        case customers = "customers.json"
        case invoices = "invoices.json"
        case paymentRequests = "payment_requests.json"
        case transactions = "transactions.json"
        case payouts = "payouts.json"
    }

    /// Whether `directory` holds at least one dataset file.
    public static func looksLikeDataset(_ directory: URL) -> Bool {
        File.allCases.contains { FileManager.default.fileExists(atPath: directory.appendingPathComponent($0.rawValue).path) }
    }

    /// Reads every file present in `directory`; a missing file is an empty collection.
    public static func load(directory: URL) throws(SandboxDatasetError) -> SandboxDataset {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw SandboxDatasetError(file: directory.path, problem: "is not a directory; give a folder holding customers.json, invoices.json, payment_requests.json, transactions.json and/or payouts.json")
        }
        var dataset = SandboxDataset()
        for file in File.allCases {
            let url = directory.appendingPathComponent(file.rawValue)
            guard FileManager.default.fileExists(atPath: url.path) else { continue }
            let bytes: Data
            do {
                bytes = try Data(contentsOf: url)
            } catch {
                throw SandboxDatasetError(file: url.path, problem: "cannot be read (\(error.localizedDescription))")
            }
            let records = try parseRecords(bytes, file: url.path, kind: file)
            switch file {
            case .customers: dataset.customers = records
            case .invoices: dataset.invoices = records
            case .paymentRequests: dataset.paymentRequests = records
            case .transactions: dataset.transactions = records
            case .payouts: dataset.payouts = records
            }
        }
        return dataset
    }

    /// Validates one file's bytes: a JSON array of objects with unique string ids, and the
    /// embedded arrays (users, payment_methods, lines) arrays of objects with string ids.
    static func parseRecords(_ bytes: Data, file: String, kind: File) throws(SandboxDatasetError) -> [JSONObject] {
        let value: JSON
        do {
            value = try JSON.parse(bytes)
        } catch {
            throw SandboxDatasetError(file: file, problem: error.description)
        }
        guard case .array(let items) = value else {
            throw SandboxDatasetError(file: file, problem: "must hold a JSON array of objects at the top level")
        }
        var seen: Set<String> = []
        var records: [JSONObject] = []
        for (index, item) in items.enumerated() {
            guard case .object(let object) = item else {
                throw SandboxDatasetError(file: file, problem: "element \(index) is not a JSON object")
            }
            guard let id = object.id, !id.isEmpty else {
                throw SandboxDatasetError(file: file, problem: "element \(index) has no string \"id\"")
            }
            guard seen.insert(id).inserted else {
                throw SandboxDatasetError(file: file, problem: "id \"\(id)\" appears twice (element \(index))")
            }
            let embedded: [String] = switch kind {
            case .customers: ["users", "payment_methods"]
            case .payouts: ["lines"]
            default: []
            }
            for key in embedded {
                guard let nested = object[key] else { continue }
                guard case .array(let nestedItems) = nested else {
                    throw SandboxDatasetError(file: file, problem: "record \"\(id)\": \"\(key)\" must be an array of objects")
                }
                var nestedSeen: Set<String> = []
                for (nestedIndex, nestedItem) in nestedItems.enumerated() {
                    guard let nestedObject = nestedItem.objectValue, let nestedID = nestedObject.id, !nestedID.isEmpty else {
                        throw SandboxDatasetError(file: file, problem: "record \"\(id)\": \(key)[\(nestedIndex)] is not an object with a string \"id\"")
                    }
                    guard nestedSeen.insert(nestedID).inserted else {
                        throw SandboxDatasetError(file: file, problem: "record \"\(id)\": \(key) id \"\(nestedID)\" appears twice")
                    }
                }
            }
            records.append(object)
        }
        return records
    }

    /// Writes all five files (empty ones as `[]`), pretty-printed with keys in stored order.
    public func write(to directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for file in File.allCases {
            let records: [JSONObject] = switch file {
            case .customers: customers
            case .invoices: invoices
            case .paymentRequests: paymentRequests
            case .transactions: transactions
            case .payouts: payouts
            }
            let bytes = JSON.array(records.map(JSON.object)).prettySerialized()
            try Data(bytes).write(to: directory.appendingPathComponent(file.rawValue), options: .atomic)
        }
    }
}

/// A dataset file that cannot be used, naming the file and what is wrong with it.
public struct SandboxDatasetError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var problem: String
    public init(file: String, problem: String) {
        self.file = file
        self.problem = problem
    }
    public var description: String { "dataset file \(file): \(problem)" }
}
