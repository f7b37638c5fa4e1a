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
        Iterator(fetchPage: fetchPage, cursorGuard: CursorGuard(endpoint: endpoint, maxPages: maxPages))
    }

    /// Every element of every page, in order.
    public func collect() async throws -> [Fetched<Record>] {
        var all: [Fetched<Record>] = []
        for try await element in self { all.append(element) }
        return all
    }

    public struct Iterator: AsyncIteratorProtocol {
        private let fetchPage: PageFetcher
        private var cursorGuard: CursorGuard
        private var buffer: [Fetched<Record>] = []
        private var index = 0
        /// nil before the first page; `.done` after the last.
        private var nextRequest: CursorGuard.Decision?
        private var started = false

        init(fetchPage: @escaping PageFetcher, cursorGuard: CursorGuard) {
            self.fetchPage = fetchPage
            self.cursorGuard = cursorGuard
        }

        public mutating func next() async throws -> Fetched<Record>? {
            while index >= buffer.count {
                let cursor: String?
                switch (started, nextRequest) {
                case (false, _): cursor = nil
                case (true, .next(let c)?): cursor = c
                case (true, _): return nil
                }
                started = true
                buffer = []
                index = 0
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
                buffer = page.items
            }
            defer { index += 1 }
            return buffer[index]
        }
    }
}
