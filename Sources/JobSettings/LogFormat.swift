import Foundation

/// `--log-format`: `text` (swift-log's stderr format) or `json` (one object per line).
public enum LogFormat: String, Sendable, CaseIterable {
    case text, json
}
