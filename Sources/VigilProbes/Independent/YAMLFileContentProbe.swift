import Foundation
import VigilOVAL

/// `yamlfilecontent_object` (independent, OpenSCAP's OVAL 5.11.3 extension): the
/// values a YAML Path selects in YAML files of the target (or in the object's
/// `content`), as OpenSCAP's yamlfilecontent probe reports them.
///
/// Each selected map, and each selected sequence of scalars, becomes one `value`
/// record; a selected scalar or list of scalars is a record whose fields are named
/// `#`. Field names are the map keys with capitals written `^x` (and `^` as `^^`),
/// because OVAL record field names must be lower case. Plain scalars are typed as
/// YAML 1.2's core schema does (booleans are only `true`/`false` in three spellings:
/// `yes`, `on` stay strings); nulls are the string `(null)`; integers are 32-bit;
/// floats are written with six decimals. A path that reaches a map inside a map
/// (or other nesting deeper than one record) is an error, as in OpenSCAP.
package struct YAMLFileContentProbe: FileWalkingProbe {
    /// What a batch evaluated ahead, one pass per file (see `collect(batch:context:)`);
    /// empty when an object is collected alone.
    var documents = YAMLDocumentResults()

    package init() {}

    package var objectTypes: [String] { ["yamlfilecontent_object"] }

    package func collect(_ object: ResolvedObject, context: ProbeContext) -> CollectedObject {
        guard object.entity("yamlpath") != nil else { return .error("yamlfilecontent_object has no yamlpath entity") }
        return collectWalks(object, context: context)
    }

    /// A run's state is its YAML Path. A run with a `content` entity reads no file: its
    /// item is added here and the run is not walked.
    func prepare(_ variant: FileObjectVariant, context: ProbeContext,
                 collection: inout FileProbeCollection) -> (request: FileWalkRequest, run: String)? {
        guard let yamlpath = variant.entity("yamlpath")?.values.first else { return nil }
        if let content = variant.entity("content")?.values.first {
            let head = [OVALItemField("content", content), OVALItemField("yamlpath", yamlpath)]
            YAMLFileContentProbe.evaluate(Array(content.utf8), head: head, yamlPath: yamlpath, into: &collection)
            return nil
        }
        guard let request = collection.request(failing: true, { try FileWalkRequest(object: variant) }) else { return nil }
        return (request, yamlpath)
    }

    /// The file's records: from the batch's pass when it made one, else read and parsed now.
    func visit(_ entry: FileWalkEntry, run yamlpath: String, context: ProbeContext, into collection: inout FileProbeCollection) {
        guard let filename = entry.filename, entry.kind == .regular || entry.kind == .symlink else { return }
        let filepath = entry.filepath
        let outcome = documents.outcome(filepath, yamlPath: yamlpath)
            ?? YAMLDocumentResults.evaluate(filepath, yamlPath: yamlpath, target: context.target)
        switch outcome {
        case .unreadable: collection.fail("Unable to open file '\(filepath)'")
        case .failure(let failure): collection.fail(failure.message)
        case .records(let records):
            let head = [
                OVALItemField("filepath", filepath),
                OVALItemField("path", entry.path),
                OVALItemField("filename", filename),
                OVALItemField("yamlpath", yamlpath),
            ]
            for item in YAMLContentQuery.items(head: head, records: records) { collection.add(item) }
        }
    }

    /// Adds the item (or the error) for the YAML an object gives in its `content` entity.
    static func evaluate(_ bytes: [UInt8], head: [OVALItemField], yamlPath: String,
                         into collection: inout FileProbeCollection) {
        switch YAMLContentQuery.evaluate(bytes, yamlPath: yamlPath) {
        case .failure(let failure): collection.fail(failure.message)
        case .success(let records):
            for item in YAMLContentQuery.items(head: head, records: records) { collection.add(item) }
        }
    }
}

/// How OpenSCAP types and names YAML scalars.
enum YAMLScalar {
    static let strTag = "tag:yaml.org,2002:str"
    static let boolTag = "tag:yaml.org,2002:bool"
    static let intTag = "tag:yaml.org,2002:int"
    static let floatTag = "tag:yaml.org,2002:float"
    static let nullTag = "tag:yaml.org,2002:null"

    /// A map key as a record field name: `A`-`Z` become `^a`-`^z`, `^` becomes `^^`.
    static func escapeKey(_ key: String) -> String {
        var out = ""
        for ch in key.unicodeScalars {
            if ch == "^" {
                out += "^^"
            } else if ch.value >= 65 && ch.value <= 90, let lower = Unicode.Scalar(ch.value + 32) {
                out += "^"
                out.unicodeScalars.append(lower)
            } else {
                out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    /// The record field for a scalar, typed by its tag (plain untagged scalars by their
    /// form); nil when an explicit bool, int, float or null tag does not fit the value.
    static func field(named name: String, value: String, tag explicitTag: String?, plain: Bool) -> OVALItemField? {
        var tag = explicitTag ?? (plain ? "?" : "!")
        if tag == "!" { tag = strTag }
        let guess = tag == "?"
        // PCRE's `$` also matches before a final newline.
        let v = value.hasSuffix("\n") ? String(value.dropLast()) : value
        if guess || tag == boolTag {
            if ["true", "True", "TRUE"].contains(v) { return OVALItemField(name, "true", datatype: .boolean) }
            if ["false", "False", "FALSE"].contains(v) { return OVALItemField(name, "false", datatype: .boolean) }
            if !guess { return nil }
        }
        if guess || tag == intTag {
            if let n = integer(v) { return OVALItemField(name, String(n), datatype: .int) }
            if !guess { return nil }
        }
        if guess || tag == floatTag {
            if let d = float(v) { return OVALItemField(name, formatFloat(d), datatype: .float) }
            if !guess { return nil }
        }
        if guess || tag == nullTag {
            if ["null", "Null", "NULL", "~", ""].contains(v) { return OVALItemField(name, "(null)") }
            if !guess { return nil }
        }
        return OVALItemField(name, value)
    }

    private static func isDigit(_ c: UInt8, radix: Int = 10) -> Bool {
        CNumber.digit(c, radix: radix) != nil
    }

    /// `[+-]?[0-9]+`, `0o[0-7]+` or `0x[0-9a-fA-F]+`, converted like `strtol` into a C `int`.
    static func integer(_ v: String) -> Int32? {
        let b = Array(v.utf8)
        let unsigned = b.first == UInt8(ascii: "+") || b.first == UInt8(ascii: "-") ? b.dropFirst() : b[...]
        if !unsigned.isEmpty && unsigned.allSatisfy({ isDigit($0) }) { return strtolInt32(v, base: 10) }
        if b.count > 2 && b[0] == UInt8(ascii: "0") {
            let digits = b.dropFirst(2)
            if b[1] == UInt8(ascii: "o") && digits.allSatisfy({ isDigit($0, radix: 8) }) {
                return strtolInt32(String(decoding: digits, as: UTF8.self), base: 8)
            }
            if b[1] == UInt8(ascii: "x") && digits.allSatisfy({ isDigit($0, radix: 16) }) {
                return strtolInt32(v, base: 16)
            }
        }
        return nil
    }

    /// `(int)strtol(s, NULL, base)`, as OpenSCAP converts it.
    private static func strtolInt32(_ s: String, base: Int) -> Int32 {
        Int32(truncatingIfNeeded: CNumber.strtol(s, base: base).value)
    }

    /// YAML 1.2 floats: decimal forms and exponents, `.inf` and `.nan` spellings.
    static func float(_ v: String) -> Double? {
        if isDecimalFloat(Array(v.utf8)) { return strtod(v, nil) }
        let unsigned = v.hasPrefix("+") || v.hasPrefix("-") ? String(v.dropFirst()) : v
        if [".inf", ".Inf", ".INF"].contains(unsigned) { return v.hasPrefix("-") ? -Double.infinity : Double.infinity }
        if [".nan", ".NaN", ".NAN"].contains(v) { return Double.nan }
        return nil
    }

    /// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`
    private static func isDecimalFloat(_ b: [UInt8]) -> Bool {
        var i = 0
        func digits() -> Int {
            let start = i
            while i < b.count && isDigit(b[i]) { i += 1 }
            return i - start
        }
        if i < b.count && (b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-")) { i += 1 }
        if i < b.count && b[i] == UInt8(ascii: ".") {
            i += 1
            guard digits() > 0 else { return false }
        } else {
            guard digits() > 0 else { return false }
            if i < b.count && b[i] == UInt8(ascii: ".") {
                i += 1
                _ = digits()
            }
        }
        if i < b.count && (b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E")) {
            i += 1
            if i < b.count && (b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-")) { i += 1 }
            guard digits() > 0 else { return false }
        }
        return i == b.count
    }

    /// C's `%f`.
    static func formatFloat(_ d: Double) -> String {
        var buf = [CChar](repeating: 0, count: 400)
        let n = withVaList([d]) { vsnprintf(&buf, buf.count, "%f", $0) }
        guard n > 0 else { return "" }
        return String(decoding: buf.prefix(min(Int(n), buf.count - 1)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
