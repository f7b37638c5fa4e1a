import APModels

/// Follows a listing's cursors and stops a server that would make the client loop.
/// A pure value: feed it each page's ids and paging fields, act on its decision.
///
/// Protocol faults (each names the endpoint and the cursor of the page that showed it):
/// - `has_next_page` true without an `end_cursor`;
/// - an `end_cursor` that was already returned (or that was just requested);
/// - a record id listed twice in the listing, on the same page or on an earlier one: an answer
///   that lists a record twice cannot be trusted to have the right amounts either, so one rule
///   covers both (docs/fault-matrix.md);
/// - more pages than `maxPages`.
public struct CursorGuard: Sendable {
    public enum Decision: Sendable, Hashable {
        case next(cursor: String)
        case done
    }

    public let endpoint: String
    public let maxPages: Int
    public private(set) var pagesSeen = 0
    private var cursorsSeen: Set<String> = []
    private var idsSeen: Set<String> = []

    public init(endpoint: String, maxPages: Int) {
        self.endpoint = endpoint
        self.maxPages = maxPages
    }

    /// - Parameters:
    ///   - ids: the ids of this page's records (unreadable ones with a string id included).
    ///   - requestedCursor: the `after` this page was fetched with; nil for the first page.
    public mutating func accept(ids: [String], hasNextPage: Bool, endCursor: String?,
                                requestedCursor: String?) throws(APIError) -> Decision {
        pagesSeen += 1
        if let requestedCursor { cursorsSeen.insert(requestedCursor) }
        var onThisPage: Set<String> = []
        for id in ids {
            if idsSeen.contains(id) {
                throw fault("record id \"\(DisplayText.sanitize(id, limit: DisplayText.identifierLimit))\" arrived again after an earlier page", cursor: requestedCursor)
            }
            guard onThisPage.insert(id).inserted else {
                throw fault("record id \"\(DisplayText.sanitize(id, limit: DisplayText.identifierLimit))\" is listed twice on the same page", cursor: requestedCursor)
            }
        }
        idsSeen.formUnion(onThisPage)
        guard hasNextPage else { return .done }
        guard let endCursor, !endCursor.isEmpty else {
            throw fault("the page says has_next_page but sends no end_cursor", cursor: requestedCursor)
        }
        guard !cursorsSeen.contains(endCursor) else {
            throw fault("end_cursor \"\(DisplayText.sanitize(endCursor, limit: DisplayText.identifierLimit))\" repeats an earlier cursor, so paging would loop",
                        cursor: requestedCursor)
        }
        guard pagesSeen < maxPages else {
            throw fault("the listing goes on past \(maxPages) pages, the configured cap", cursor: requestedCursor)
        }
        cursorsSeen.insert(endCursor)
        return .next(cursor: endCursor)
    }

    private func fault(_ detail: String, cursor: String?) -> APIError {
        APIError(kind: .protocolViolation, endpoint: endpoint, cursor: cursor ?? "(first page)", detail: detail,
                 hint: "the server's paging is broken; report it to the provider with this message")
    }
}
