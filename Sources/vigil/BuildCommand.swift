import ArgumentParser
import Foundation
import VigilStore
import VigilContent

/// `vigil build DIR -o FILE`: compile a rule folder into a SCAP 1.3 source data stream.
struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compile a folder of Vigil YAML rules into a SCAP 1.3 source data stream.",
        discussion: "The folder holds benchmark.yaml and one YAML file per rule (see rules/README.md). "
            + "The data stream (XCCDF 1.2, OVAL 5.11, CPE) works with any SCAP tool, oscap included.")

    @Argument(help: "The rule folder, e.g. rules/linux-baseline.")
    var folder: String

    @Option(name: [.short, .customLong("output")], help: "Where to write the data stream ('-' for standard output).")
    var output: String

    func run() throws {
        let bytes: [UInt8]
        // Compiling loads the result as a scan would (ids, references, OVAL).
        do { bytes = try SCAPContent.compile(folder: folder) } catch { throw CommandError("\(error)") }
        if output == "-" {
            FileHandle.standardOutput.write(Data(bytes))
            return
        }
        do { try Data(bytes).write(to: URL(fileURLWithPath: output)) } catch { throw CommandError("cannot write \(output): \(SystemErrorText.cause(of: error))") }
        FileHandle.standardError.write(Data("vigil: wrote \(output) (\(bytes.count) bytes)\n".utf8))
    }
}
