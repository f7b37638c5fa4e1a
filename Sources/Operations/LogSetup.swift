import JobSettings
import Logging

/// Logging to stderr through swift-log, once per process: swift-log's text lines, or one JSON
/// object per line (`--log-format json`).
public enum LogSetup {
    public static func bootstrap(level: Logger.Level, format: LogFormat = .text, label: String = "ap-reconcile") -> Logger {
        LoggingSystem.bootstrap { label -> any LogHandler in
            if format == .json {
                var handler = JSONLogHandler(label: label)
                handler.logLevel = level
                return handler
            }
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        return Logger(label: label)
    }
}
