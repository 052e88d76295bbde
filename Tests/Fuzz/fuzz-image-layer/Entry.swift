import FuzzSupport

/// A libFuzzer binary when built by Tests/Fuzz/run.sh; in a plain build, a tool that runs the
/// harness on the input files named on its command line (to replay a crash).
@main
enum Entry {
    static func main() { FuzzMain.run(Harness.run, describe: Harness.describe) }
}
