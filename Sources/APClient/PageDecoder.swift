import APModels
import Foundation

/// Decodes a list page in one JSONDecoder pass. Accepts both shapes of CONTRACT.md:
///
/// - OpenAPI: `{"data":[…], "has_next_page":true, "end_cursor":"c2", …}`
/// - guide:   `{"data":[…], "pagination":{"has_next_page":true, "end_cursor":"c2"}}`
///
/// with `data` or `transactions` as the array key. A reply without paging fields is one
/// complete page. Every array element becomes `.record` or, when it cannot be read,
/// `.unreadable` in its place (never dropped). A page whose shape is wrong as a whole is
/// a protocol error naming the endpoint and the cursor that was requested.
///
/// `redacting`: the secrets the request could expose (client secret, Basic value, tokens); an
/// excerpt of a body that is not JSON is scrubbed of them before it is cut.
public enum PageDecoder {
    public static func decode<Record: APIRecord>(_ type: Record.Type, from body: Data, endpoint: String,
                                                 cursor: String?, redacting secrets: [String] = []) throws(APIError) -> Page<Record> {
        let envelope: Envelope<Record>
        do {
            envelope = try JSONDecoder().decode(Envelope<Record>.self, from: body)
        } catch let shape as ShapeError {
            throw APIError(kind: .protocolViolation, endpoint: endpoint, cursor: cursor,
                           detail: "the page is malformed: \(shape.detail)", hint: protocolHint)
        } catch {
            throw APIError(kind: .protocolViolation, endpoint: endpoint,
                           bodyExcerpt: ErrorBody.excerpt(of: body, redaction: Redaction(secrets)), cursor: cursor,
                           detail: "the page is not valid JSON", hint: protocolHint)
        }
        let items = envelope.items.map { $0.fetched(endpoint: endpoint) }
        return Page(items: items, hasNextPage: envelope.hasNextPage, endCursor: envelope.endCursor)
    }

    /// Decodes the body of a by-id call: one record, or an unreadable one.
    public static func decodeSingle<Record: APIRecord>(_ type: Record.Type, from body: Data, endpoint: String,
                                                       redacting secrets: [String] = []) throws(APIError) -> Fetched<Record> {
        do {
            return try JSONDecoder().decode(Element<Record>.self, from: body).fetched(endpoint: endpoint)
        } catch {
            throw APIError(kind: .protocolViolation, endpoint: endpoint,
                           bodyExcerpt: ErrorBody.excerpt(of: body, redaction: Redaction(secrets)),
                           detail: "the reply is not valid JSON", hint: protocolHint)
        }
    }

    static let protocolHint = "the server broke the API contract; report it to the provider with this message"
}

/// Why a page's overall shape is unusable.
struct ShapeError: Error {
    var detail: String
}

struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(_ s: String) { stringValue = s }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) {
        self.intValue = intValue
        stringValue = String(intValue)
    }
}

struct Envelope<Record: Decodable & Sendable>: Decodable {
    var items: [Element<Record>]
    var hasNextPage: Bool
    var endCursor: String?

    init(from decoder: any Decoder) throws {
        guard let top = try? decoder.container(keyedBy: AnyCodingKey.self) else {
            let kind = (try? JSONValue(from: decoder))?.kindName ?? "not an object"
            throw ShapeError(detail: "the top level is \(kind), not an object")
        }
        let dataKey = AnyCodingKey("data"), transactionsKey = AnyCodingKey("transactions")
        guard let key = top.contains(dataKey) ? dataKey : top.contains(transactionsKey) ? transactionsKey : nil else {
            throw ShapeError(detail: "it has no \"data\" (or \"transactions\") array")
        }
        guard var list = try? top.nestedUnkeyedContainer(forKey: key) else {
            let kind = (try? top.decode(JSONValue.self, forKey: key))?.kindName ?? "not an array"
            throw ShapeError(detail: "\"\(key.stringValue)\" is \(kind), not an array")
        }
        var items: [Element<Record>] = []
        items.reserveCapacity(list.count ?? 0)
        while !list.isAtEnd { items.append(try list.decode(Element<Record>.self)) }
        self.items = items

        // OpenAPI shape: paging fields at the top level.
        var hasNext = try Self.bool(top, "has_next_page", where: "")
        var cursor = try Self.string(top, "end_cursor", where: "")
        // Guide shape: a "pagination" object. Top-level fields, when present, win.
        let paginationKey = AnyCodingKey("pagination")
        if top.contains(paginationKey), try !top.decodeNil(forKey: paginationKey) {
            guard let pagination = try? top.nestedContainer(keyedBy: AnyCodingKey.self, forKey: paginationKey) else {
                throw ShapeError(detail: "\"pagination\" is not an object")
            }
            hasNext = try hasNext ?? Self.bool(pagination, "has_next_page", where: "pagination.")
            cursor = try cursor ?? Self.string(pagination, "end_cursor", where: "pagination.")
        }
        hasNextPage = hasNext ?? false
        endCursor = cursor
    }

    private static func bool(_ c: KeyedDecodingContainer<AnyCodingKey>, _ name: String, where prefix: String) throws -> Bool? {
        let key = AnyCodingKey(name)
        guard c.contains(key), try !c.decodeNil(forKey: key) else { return nil }
        guard let value = try? c.decode(Bool.self, forKey: key) else {
            let kind = (try? c.decode(JSONValue.self, forKey: key))?.kindName ?? "not a boolean"
            throw ShapeError(detail: "\"\(prefix)\(name)\" is \(kind), not a boolean")
        }
        return value
    }

    private static func string(_ c: KeyedDecodingContainer<AnyCodingKey>, _ name: String, where prefix: String) throws -> String? {
        let key = AnyCodingKey(name)
        guard c.contains(key), try !c.decodeNil(forKey: key) else { return nil }
        guard let value = try? c.decode(String.self, forKey: key) else {
            let kind = (try? c.decode(JSONValue.self, forKey: key))?.kindName ?? "not a string"
            throw ShapeError(detail: "\"\(prefix)\(name)\" is \(kind), not a string")
        }
        return value
    }
}

/// One array element: the record, or — when it cannot be read — its raw JSON and the reason.
/// Decoding falls back within the same pass, so a bad record costs nothing extra for the good ones.
enum Element<Record: Decodable & Sendable>: Decodable {
    case record(Record)
    case unreadable(raw: JSONValue?, reason: String)

    init(from decoder: any Decoder) throws {
        do {
            self = .record(try Record(from: decoder))
        } catch {
            let raw = try? JSONValue(from: decoder)
            self = .unreadable(raw: raw, reason: Self.describe(error, raw: raw, depth: decoder.codingPath.count))
        }
    }

    func fetched(endpoint: String) -> Fetched<Record> {
        switch self {
        case .record(let r):
            return .record(r)
        case .unreadable(let raw, let reason):
            var id: String?
            if case .object(let fields)? = raw, case .string(let s)? = fields["id"] { id = s }
            // The reason reaches diagnostics and logs; the id and the raw JSON stay as the API sent
            // them (they are data, escaped or neutralised by each report writer).
            return .unreadable(UnreadableRecord(endpoint: endpoint, id: id, rawJSON: raw?.compactSortedJSON ?? "",
                                                reason: DisplayText.sanitize(reason, limit: 450)))
        }
    }

    static func describe(_ error: any Error, raw: JSONValue?, depth: Int) -> String {
        if let recordError = error as? RecordError { return recordError.description }
        if let raw, case .object = raw {} else if let raw {
            return "the record is \(raw.kindName), not an object"
        }
        guard let decoding = error as? DecodingError else { return String(describing: error) }
        func field(_ path: [any CodingKey]) -> String {
            path.dropFirst(depth).map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch decoding {
        case .keyNotFound(let key, let context):
            let name = (field(context.codingPath).isEmpty ? "" : field(context.codingPath) + ".") + key.stringValue
            return RecordError(field: name, problem: "missing").description
        case .typeMismatch(let type, let context):
            return RecordError(field: field(context.codingPath), problem: "not \(type)").description
        case .valueNotFound(let type, let context):
            return RecordError(field: field(context.codingPath), problem: "null where \(type) is required").description
        case .dataCorrupted(let context):
            return RecordError(field: field(context.codingPath), problem: context.debugDescription).description
        @unknown default:
            return String(describing: decoding)
        }
    }
}
