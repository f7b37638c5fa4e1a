import Foundation
import FuzzSupport
import JobConfig

/// The job-file parser: any bytes give a JobFile or a JobFileError naming the file, never a
/// crash; an accepted file has only known settings.
@main enum FuzzJobFile {
    static func main() { FuzzEntry.main(testOneInput) }
}

func testOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = FuzzEntry.data(bytes, count)
    do {
        _ = try JobFile.decode(data, path: "job.json")
        let object = try? JSONSerialization.jsonObject(with: data)
        fuzzCheck(object is [String: Any], "an accepted job file is not a JSON object")
    } catch {
        fuzzCheck(error.message.contains("job.json"), "the error does not name the file: \(error.message.prefix(200))")
    }
    return 0
}
