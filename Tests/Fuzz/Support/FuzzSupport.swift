import Foundation

/// Helpers shared by the fuzz targets under Tests/Fuzz: splitting an input into parts, a
/// scratch folder for harnesses that must go through files, and the replay tool a plain
/// (non-libFuzzer) build of each target becomes.
public enum FuzzInput {
    /// The bytes libFuzzer hands to `LLVMFuzzerTestOneInput`.
    public static func bytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
        guard let data, size > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: size))
    }

    /// The bytes before the first `separator` and, when there is one, the bytes after it.
    public static func split(_ bytes: ArraySlice<UInt8>, at separator: UInt8) -> (ArraySlice<UInt8>, ArraySlice<UInt8>?) {
        guard let i = bytes.firstIndex(of: separator) else { return (bytes, nil) }
        return (bytes[..<i], bytes[(i + 1)...])
    }

    /// Bytes as text, invalid UTF-8 replaced (as a reader that decodes leniently sees them).
    public static func text<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        String(decoding: bytes, as: UTF8.self)
    }

    /// Stops the process with `message` when an invariant of the code under test fails: libFuzzer
    /// records the input as a crash.
    public static func check(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
        if !condition() { fatalError("fuzz invariant failed: \(message())") }
    }
}

/// A folder of this process's own under `$TMPDIR` (the run script points TMPDIR at a folder it
/// removes afterwards), for harnesses whose entry point reads files.
public enum FuzzScratch {
    /// The folder, created on first use.
    public static let folder: String = {
        let base = ProcessInfo.processInfo.environment["TMPDIR"] ?? NSTemporaryDirectory()
        let path = (base as NSString).appendingPathComponent("vigil-fuzz-\(getpid())")
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    /// The path of `name` in the folder.
    public static func path(_ name: String) -> String { (folder as NSString).appendingPathComponent(name) }

    /// Writes `bytes` to `name` in the folder (creating its parent folders) and returns the path.
    @discardableResult
    public static func write<C: Collection>(_ bytes: C, to name: String) -> String where C.Element == UInt8 {
        let path = path(name)
        let parent = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }
}

/// The `main` of every fuzz target. Built by Tests/Fuzz/run.sh (`-sanitize=fuzzer
/// -D VIGIL_LIBFUZZER`) it hands the command line to libFuzzer's driver, which calls `harness`
/// with each input; in a plain build it replays the files named on the command line.
public enum FuzzMain {
    public static func run(_ harness: @escaping ([UInt8]) -> Void, describe: @escaping ([UInt8]) -> String) -> Never {
        #if VIGIL_LIBFUZZER
        currentHarness = harness
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, LLVMFuzzerTestOneInput))
        #else
        FuzzReplay.main(harness, describe: describe)
        exit(0)
        #endif
    }
}

#if VIGIL_LIBFUZZER
/// The harness `LLVMFuzzerTestOneInput` runs; set once by `FuzzMain.run` before fuzzing starts.
nonisolated(unsafe) private var currentHarness: (([UInt8]) -> Void)?

/// libFuzzer's entry point for one input (its own `main`, linked in by `-sanitize=fuzzer`, is
/// replaced by the target's `@main`, which goes through `LLVMFuzzerRunDriver`).
@_cdecl("LLVMFuzzerTestOneInput")
public func LLVMFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    currentHarness?(FuzzInput.bytes(data, size))
    return 0
}

/// libFuzzer's driver (compiler-rt `FuzzerDriver.cpp`):
/// `int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *, size_t))`.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt
#endif

/// What a plain build of a fuzz target does: runs the harness on each file named on the command
/// line (every file of a folder), to replay a crash or a corpus without libFuzzer.
public enum FuzzReplay {
    public static func main(_ harness: ([UInt8]) -> Void, describe: (([UInt8]) -> String)? = nil) {
        let args = CommandLine.arguments.dropFirst()
        guard !args.isEmpty else {
            let name = (CommandLine.arguments.first as NSString?)?.lastPathComponent ?? "fuzz target"
            print("usage: \(name) FILE-OR-FOLDER...\nRuns the fuzz harness on each input (Tests/Fuzz/run.sh builds the libFuzzer binary).")
            return
        }
        var count = 0
        for arg in args {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: arg, isDirectory: &isDir) else {
                print("\(arg): no such file")
                continue
            }
            let files = isDir.boolValue
                ? ((try? FileManager.default.contentsOfDirectory(atPath: arg)) ?? []).sorted().map { (arg as NSString).appendingPathComponent($0) }
                : [arg]
            for file in files {
                guard let data = FileManager.default.contents(atPath: file) else { continue }
                let bytes = [UInt8](data)
                if let describe { print("\(file): \(describe(bytes))") }
                harness(bytes)
                count += 1
            }
        }
        print("replayed \(count) input(s) without a crash")
    }
}
