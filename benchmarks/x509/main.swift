// vigil-x509-bench: times the `x509` native check on certificate files.
//
//   swift build -c release --product vigil-x509-bench
//   .build/release/vigil-x509-bench PATH...
//
// Runs the `x509` kind on the live host over PATH... (files or directories, walked
// recursively) with a criterion every certificate meets, so every certificate is read
// and classified (key, curve, signature digest and strength, validity, self-signature),
// and prints "certificates=N files=M seconds=S". benchmarks/x509-classify.py generates
// the certificate sets and compares it with `openssl x509 -noout -text` per certificate.
import Foundation
import VigilCrypto
import VigilTarget

let paths = Array(CommandLine.arguments.dropFirst())
guard !paths.isEmpty else {
    FileHandle.standardError.write(Data("usage: vigil-x509-bench PATH...\n".utf8))
    exit(2)
}
let spec = NativeCheckSpec(kind: "x509", parameters: [
    (name: "paths", values: paths), (name: "recursive", values: ["true"]), (name: "min_security_bits", values: ["0"]),
])
let check = try NativeCheckKinds.make(spec)
let start = Date()
let verdict = check.evaluate(NativeContext(target: Targets.host))
let seconds = Date().timeIntervalSince(start)
guard verdict.result == .pass, let summary = verdict.evidence.first else {
    FileHandle.standardError.write(Data("unexpected verdict: \(verdict)\n".utf8))
    exit(1)
}
// "N certificates in M files meet the criteria"
let words = summary.split(separator: " ")
print("certificates=\(words[0]) files=\(words[3]) seconds=\(String(format: "%.3f", seconds))")
