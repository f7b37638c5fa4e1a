/// A listing as an `AsyncSequence` of `Fetched<Record>`: pages are fetched one at a time as
/// the elements are consumed, following `after=<end_cursor>` under a `CursorGuard`.
/// Iterating twice fetches twice. Errors are `APIError` (or `CancellationError`).
public struct PagedRecords<Record: APIRecord>: AsyncSequence, Sendable {
    public typealias Element = Fetched<Record>
    public typealias Failure = any Error
    /// Fetches the page after the given cursor (nil: the first page).
    public typealias PageFetcher = @Sendable (_ cursor: String?) async throws -> Page<Record>

    /// `GET /payouts` style template, used in errors.
    public let endpoint: String
    public let maxPages: Int
    private let fetchPage: PageFetcher

    public init(endpoint: String, maxPages: Int, fetchPage: @escaping PageFetcher) {
        self.endpoint = endpoint
        self.maxPages = maxPages
        self.fetchPage = fetchPage
    }

    public func makeAsyncIterator() -> Iterator {
        Iterator(pages: pages())
    }

    /// The listing a page at a time, for callers that decide something after the first page
    /// (the fetcher splits a long listing into parallel ones).
    public func pages() -> PageIterator {
        PageIterator(fetchPage: fetchPage, cursorGuard: CursorGuard(endpoint: endpoint, maxPages: maxPages))
    }

    /// Every element of every page, in order.
    public func collect() async throws -> [Fetched<Record>] {
        var all: [Fetched<Record>] = []
        var pages = pages()
        while let page = try await pages.next() { all += page }
        return all
    }

    /// Fetches one page per `next()`, following `after=<end_cursor>` under the `CursorGuard`.
    public struct PageIterator {
        private let fetchPage: PageFetcher
        private var cursorGuard: CursorGuard
        /// nil before the first page; `.done` after the last (or after a failed fetch).
        private var nextRequest: CursorGuard.Decision?

        init(fetchPage: @escaping PageFetcher, cursorGuard: CursorGuard) {
            self.fetchPage = fetchPage
            self.cursorGuard = cursorGuard
        }

        /// Whether a page fetched so far said another one follows (false before the first page).
        public var hasMore: Bool {
            if case .next? = nextRequest { return true }
            return false
        }

        /// The next page's elements, or nil when the listing has ended.
        public mutating func next() async throws -> [Fetched<Record>]? {
            let cursor: String?
            switch nextRequest {
            case nil: cursor = nil
            case .next(let c)?: cursor = c
            case .done?: return nil
            }
            nextRequest = .done // a failed fetch ends the sequence
            let page = try await fetchPage(cursor)
            let ids = page.items.compactMap { item -> String? in
                switch item {
                case .record(let r): r.id
                case .unreadable(let u): u.id
                }
            }
            nextRequest = try cursorGuard.accept(ids: ids, hasNextPage: page.hasNextPage, endCursor: page.endCursor,
                                                 requestedCursor: cursor)
            return page.items
        }
    }

    public struct Iterator: AsyncIteratorProtocol {
        private var pages: PageIterator
        private var buffer: [Fetched<Record>] = []
        private var index = 0

        init(pages: PageIterator) {
            self.pages = pages
        }

        public mutating func next() async throws -> Fetched<Record>? {
            while index >= buffer.count {
                guard let page = try await pages.next() else { return nil }
                buffer = page
                index = 0
            }
            defer { index += 1 }
            return buffer[index]
        }
    }
}
