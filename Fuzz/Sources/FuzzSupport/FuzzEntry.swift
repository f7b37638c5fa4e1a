import CLibFuzzer
import Foundation

/// libFuzzer's per-input callback: the bytes of one input.
public typealias FuzzCallback = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

/// The entry point every fuzz target's `main` calls.
///
/// - Fuzz build (`scripts/fuzz.sh`: `-sanitize=fuzzer,address -DFUZZING`): hands the command line
///   to libFuzzer's driver, so all libFuzzer flags work (`-runs=`, `-max_total_time=`, corpus folders).
/// - Normal build: replays the files (or every file in the folders) named on the command line
///   through the same callback, without sanitizers. That reproduces a finding with a plain
///   `swift build`, and keeps the targets compiling with the rest of the package.
public enum FuzzEntry {
    public static func main(_ callback: FuzzCallback) -> Never {
        #if FUZZING
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, callback))
        #else
        exit(replay(paths: Array(CommandLine.arguments.dropFirst()), callback))
        #endif
    }

    static func replay(paths: [String], _ callback: FuzzCallback) -> Int32 {
        let name = (CommandLine.arguments.first as NSString?)?.lastPathComponent ?? "fuzz target"
        guard !paths.isEmpty, !paths.contains(where: { $0.hasPrefix("-") }) else {
            print("""
            usage: \(name) FILE|FOLDER...
              Runs each input file (every file of each folder) through the fuzz target once.
              This is a normal build: to fuzz, use scripts/fuzz.sh (libFuzzer, address sanitizer).
              Exit status: 0 when every input passed; a failed check aborts (SIGABRT).
            """)
            return 64
        }
        var count = 0
        for path in paths {
            for file in files(at: path) {
                guard let data = FileManager.default.contents(atPath: file) else {
                    print("\(name): cannot read \(file)")
                    return 66
                }
                data.withUnsafeBytes { raw in
                    _ = callback(raw.bindMemory(to: UInt8.self).baseAddress, raw.count)
                }
                count += 1
            }
        }
        print("\(name): \(count) input(s) replayed, no failure")
        return 0
    }

    private static func files(at path: String) -> [String] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else { return [path] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.sorted().filter { !$0.hasPrefix(".") }.map { (path as NSString).appendingPathComponent($0) }
    }

    /// The bytes libFuzzer passed, as Data (an empty input may come with a nil pointer).
    public static func data(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> Data {
        guard let bytes, count > 0 else { return Data() }
        return Data(bytes: bytes, count: count)
    }
}

/// A property every input must keep. A violation aborts, so libFuzzer saves the input as a finding.
public func fuzzCheck(_ condition: Bool, _ message: @autoclosure () -> String) {
    guard !condition else { return }
    FileHandle.standardError.write(Data("fuzz check failed: \(message())\n".utf8))
    abort()
}
