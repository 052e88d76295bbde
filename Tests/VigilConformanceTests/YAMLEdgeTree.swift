import Foundation

/// A node tree of awkward YAML and JSON files under `/etc/edge` (several documents, BOMs,
/// YAML 1.1 scalars, anchors and aliases, duplicate keys, tabs, deep nesting, a large
/// file, non-UTF-8, UTF-16, JSON with comments) and the YAML paths asked of each, for
/// `YAMLEdgeDifferentialTests`.
enum YAMLEdgeTree {
    /// Where the files live inside the root.
    static let dir = "/etc/edge"

    /// Paths asked of every file.
    static let commonPaths = [".a", "$", ".a[:]", ".a[0]", ".a.*", ".missing", ".b", "[0]", ".a.b"]

    /// One file: its name, its bytes, and the paths asked of it besides `commonPaths`.
    struct File {
        var name: String
        var bytes: [UInt8]
        var paths: [String] = []
        /// Whether `commonPaths` are asked too (not for the large file: one path is enough).
        var common = true
    }

    static func text(_ s: String) -> [UInt8] { Array(s.utf8) }

    static let bom: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// A kube-apiserver static pod manifest, as kubeadm writes it.
    static let manifest = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: kube-apiserver
          namespace: kube-system
          labels: {component: kube-apiserver, tier: control-plane}
        spec:
          containers:
          - name: kube-apiserver
            command:
            - kube-apiserver
            - --anonymous-auth=false
            - --profiling=false
            - "--secure-port=6443"
          - name: sidecar
            command: [sleep, "3600"]
          hostNetwork: true

        """

    static let manifestPaths = [".spec.containers[:].command", ".spec.containers[0].command", ".spec.containers[:].name",
                                ".spec.containers[:]", ".kind", "$.metadata", ".metadata.labels", ".spec.hostNetwork",
                                ".spec.containers[1].command[:]", ".spec.containers[:].command[0]", ".metadata['labels','name']",
                                ".metadata.*", ".spec.containers[0,1].name"]

    /// Unusual YAML Path spellings (slices, negative indices, JSONPath filters, blanks,
    /// missing brackets): what oscap's yaml-path library makes of each.
    static let pathSyntax = ["kind", ".spec.containers[1:2]", ".spec.containers[-1]", ".spec.containers[?(@.name=='sidecar')]",
                             ".spec.containers[?name=sidecar]", ".spec..name", ".spec.containers[ 1 ].name", ".spec.containers[1 ]",
                             ".metadata['labels", ".metadata[labels]", ".metadata[\"labels\"].tier", ".metadata.labels.*",
                             "$.spec.containers[*]", ".spec.containers[]", ".spec.containers[0,0].name", ".spec.containers[0,]",
                             "&x", "$$", ".metadata.name.", ".spec.containers[0].command[:].x", "..", ".", "$.", "[:]",
                             ".spec.containers[99999999999999999999]", ".spec.containers[0]]", ".spec.containers[0]x"]

    static let scalars = """
        a:
          yes: yes
          no: no
          on: on
          off: off
          y: y
          True: True
          FALSE: FALSE
          tRue: tRue
          oct: 010
          oct2: 0o17
          hex: 0x1F
          hexup: 0X1F
          exp: 1e3
          expf: 1.5E-2
          inf: .inf
          ninf: -.Inf
          nan: .NaN
          tilde: ~
          null: null
          Null: Null
          empty:
          qyes: "yes"
          qnum: '010'
          qtrue: "true"
          qnull: "~"
          big: 2147483648
          neg: -2147483649
          under: 1_000
          sexa: 1:30
          plus: +7
          dot: 1.
          leadz: 007
          dotfive: .5
          str: !!str 123
          tbool: !!bool true
          tint: !!int 42
          tfloat: !!float 1
          block: |
            line one
            line two
          folded: >
            folded
            text
          trail: "true\\n"
        list: [yes, no, on, off, 010, 0x1F, 1e3, .inf, ~, null, "quoted", 'single', True, '', ""]
        b: 12:30:00

        """

    static let scalarPaths = [".a.yes", ".a.oct", ".a.hex", ".a.exp", ".a.inf", ".a.tilde", ".a.null", ".a.qyes",
                              ".a.big", ".a.neg", ".a['True']", ".a.block", ".a.trail", ".list", ".list[:]", ".list[4]",
                              ".a.empty", ".a.str", ".a.tint", ".a.tfloat", ".a.nan", ".a.under", ".a.dot"]

    static let anchors = """
        base: &base
          user: admin
          port: 8080
        list: &l [1, 2]
        svc:
          <<: *base
          port: 9090
        ref: *base
        lref: *l
        sref: &s scalar
        salias: *s
        a: &a {x: 1}
        b: [*s, *s]

        """

    static let anchorPaths = [".svc", ".ref", ".lref", "&base", "&base.port", ".salias", ".svc.user", ".svc['<<']",
                              "&l", "&l[1]", "&s", ".b[:]", ".base.port", ".svc.port"]

    /// The files, in the order their definitions are numbered.
    static func files() -> [File] {
        let deep = 2_500
        let large = (0..<100_000).map { "k\($0): v\($0)\n" }.joined() + "a: last\n"
        let nested = (0..<300).map { String(repeating: "  ", count: $0) + "k:\n" }.joined()
            + String(repeating: "  ", count: 300) + "a: 1\n"
        return [
            File(name: "bom.yaml", bytes: bom + text("a: 1\nb: yes\n")),
            File(name: "bom-json.json", bytes: bom + text("{\"a\": [1, 2], \"b\": {\"c\": true}}\n"), paths: [".b.c", ".b"]),
            File(name: "bom-twice.yaml", bytes: bom + text("a: 1\n---\n") + bom + text("a: 2\n")),
            File(name: "multi.yaml", bytes: text("a: 1\n---\na: [2, 3]\nb: x\n--- just a scalar\n---\n...\n---\na: {c: 4}\n"),
                 paths: [".a.c"]),
            File(name: "multi-broken.yaml", bytes: text("a: 1\n---\na: [2\n")),
            File(name: "manifests.yaml", bytes: text(manifest + "---\napiVersion: v1\nkind: Service\nspec: {ports: [{port: 443}]}\n"),
                 paths: manifestPaths + [".spec.ports[0].port"]),
            File(name: "manifest.yaml", bytes: text(manifest), paths: manifestPaths + pathSyntax),
            File(name: "manifest-bom-crlf.yaml", bytes: bom + text(manifest.replacingOccurrences(of: "\n", with: "\r\n")),
                 paths: manifestPaths),
            File(name: "manifest-dup-command.yaml",
                 bytes: text(manifest.replacingOccurrences(of: "    command: [sleep, \"3600\"]", with: "    command: [sleep, \"3600\"]\n    command: [--anonymous-auth=true]")),
                 paths: manifestPaths),
            File(name: "manifest-dup-flag.yaml", bytes: text(manifest.replacingOccurrences(of: "    - --profiling=false", with: "    - --profiling=false\n    - --anonymous-auth=true")),
                 paths: manifestPaths),
            File(name: "manifest-anchor.yaml",
                 bytes: text(manifest.replacingOccurrences(of: "    command:\n    - kube-apiserver", with: "    command: &cmd\n    - kube-apiserver")
                    .replacingOccurrences(of: "    command: [sleep, \"3600\"]", with: "    command: *cmd")),
                 paths: manifestPaths),
            File(name: "manifest-tabs.yaml", bytes: text(manifest.replacingOccurrences(of: "    - --anonymous-auth=false", with: "    -\t--anonymous-auth=false")),
                 paths: manifestPaths),
            File(name: "manifest-latin1.yaml", bytes: text(manifest) + text("# r") + [0xE9, 0x73, 0x75, 0x6D, 0xE9, 0x0A], paths: manifestPaths),
            File(name: "manifest-utf16.yaml", bytes: [0xFF, 0xFE] + manifest.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] },
                 paths: manifestPaths),
            File(name: "scalars.yaml", bytes: text(scalars), paths: scalarPaths),
            File(name: "badtag.yaml", bytes: text("a: !!int yes\nb: !!bool 1\nc: !!float x\nd: !!null 0\ne: !custom 5\n"),
                 paths: [".c", ".d", ".e"]),
            File(name: "anchors.yaml", bytes: text(anchors), paths: anchorPaths),
            File(name: "dup.yaml", bytes: text("a: 1\na: 2\nm:\n  k: 1\n  k: 2\nb: {x: 1, x: 2}\n"), paths: [".m", ".m.k", ".b.x"]),
            File(name: "tabs.yaml", bytes: text("a:\n\tb: 1\n")),
            File(name: "tab-values.yaml", bytes: text("a: \"x\\ty\"\nb:\tz\nc: 1\t# c\nd:\t[1,\t2]\n"), paths: [".c", ".d"]),
            File(name: "tab-after-dash.yaml", bytes: text("a:\n-\t1\n-\t2\n")),
            File(name: "deep-seq.yaml", bytes: text("a: " + String(repeating: "[", count: deep) + String(repeating: "]", count: deep) + "\nb: 1\n")),
            File(name: "deep-map.yaml", bytes: text("a: " + String(repeating: "{x: ", count: deep) + "1" + String(repeating: "}", count: deep) + "\nb: 1\n")),
            File(name: "deep-block.yaml", bytes: text(nested + "b: 2\n"), paths: [".k.k.k", ".k.*"]),
            File(name: "unclosed-deep.yaml", bytes: text("a: " + String(repeating: "[", count: deep) + "\n")),
            File(name: "large.yaml", bytes: text(large), paths: [".a", ".k99999", ".k0"], common: false),
            File(name: "bom-mid.yaml", bytes: text("a: 1\n") + bom + text("b: 2\n")),
            File(name: "bom-in-value.yaml", bytes: text("a: x") + bom + text("y\nb: 2\n")),
            File(name: "utf32le.yaml", bytes: [0xFF, 0xFE, 0, 0] + Array("a: 1\n".unicodeScalars.flatMap { [UInt8($0.value), 0, 0, 0] })),
            File(name: "surrogate.yaml", bytes: text("a: x") + [0xED, 0xA0, 0x80] + text("\nb: 2\n")),
            File(name: "overlong.yaml", bytes: text("a: x") + [0xC0, 0xAF] + text("\nb: 2\n")),
            File(name: "control.yaml", bytes: text("a: x") + [0x01] + text("y\nb: 2\n")),
            File(name: "nel-nbsp.yaml", bytes: text("a: x") + [0xC2, 0x85] + text("y\nb:") + [0xC2, 0xA0] + text("2\nc: \"") + [0x7F] + text("\"\n")),
            File(name: "latin1.yaml", bytes: text("a: caf") + [0xE9] + text("\nb: 1\n")),
            File(name: "latin1-late.yaml", bytes: text("a: 1\nb: 2\n# caf") + [0xE9] + text("\n")),
            File(name: "utf16le.yaml", bytes: [0xFF, 0xFE] + Array("a: 1\nb: é\n".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })),
            File(name: "utf16be.yaml", bytes: [0xFE, 0xFF] + Array("a: 1\nb: é\n".utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] })),
            File(name: "jsonc.json", bytes: text("{\n  // comment\n  \"a\": 1\n}\n")),
            File(name: "jsonc-block.json", bytes: text("{\n  \"a\": 1 /* c */,\n  \"b\": \"x\"\n}\n")),
            File(name: "json-hash.json", bytes: text("{\n  # comment\n  \"a\": 1,\n  \"b\": [true, null, 1.0]\n}\n"), paths: [".b[:]"]),
            File(name: "json-trailing-comma.json", bytes: text("{\"a\": [1, 2,], \"b\": 2,}\n")),
            File(name: "nul-byte.yaml", bytes: text("a: 1\n") + [0] + text("b: 2\n")),
            File(name: "empty.yaml", bytes: []),
            File(name: "comments.yaml", bytes: text("# only a comment\n")),
            File(name: "doc-end.yaml", bytes: text("---\n...\n")),
            File(name: "null-root.yaml", bytes: text("~\n")),
            File(name: "scalar-root.yaml", bytes: text("hello\n")),
            File(name: "seq-root.yaml", bytes: text("- a: 1\n- a: 2\n- b: 3\n"), paths: ["[:].a", "[1]", "[:]", "$[0].a"]),
            File(name: "crlf.yaml", bytes: text("a: 1\r\nb:\r\n  - x\r\n  - y\r\n"), paths: [".b[:]"]),
            File(name: "cr-only.yaml", bytes: text("a: 1\rb: 2\r")),
            File(name: "keys.yaml", bytes: text("CamelKey: 1\nx^y: 2\na:\n  UPPER: v\n  ключ: значение\n\"b\": {\"Q\": 1}\n"),
                 paths: [".CamelKey", ".x^y", "['x^y']"]),
            File(name: "long-line.yaml", bytes: text("a: " + String(repeating: "x", count: 200_000) + "\nb: 1\n")),
            File(name: "directive.yaml", bytes: text("%YAML 1.1\n---\na: yes\nb: 010\n")),
            File(name: "bad-directive.yaml", bytes: text("%YAML 2.0\n---\na: 1\n")),
            File(name: "flow-colon.yaml", bytes: text("a: {b:1, c: 2}\nd: [x:y, z]\n"), paths: [".d", ".a['b:1']"]),
            File(name: "flow-question.yaml", bytes: text("a: [b?, c]\nd: {e?: 1}\n"), paths: [".d"]),
            File(name: "local-tag.yaml", bytes: text("a: [!foo{bar}]\n")),
            File(name: "end-then-directive.yaml", bytes: text("a: 1\n...\n%YAML 1.1\n---\na: 2\n")),
            File(name: "tag-directive.yaml", bytes: text("%TAG !e! tag:example.com,2000:\n---\na: !e!foo 1\nb: !!int \"7\"\nc: !<tag:yaml.org,2002:bool> true\n"),
                 paths: [".c"]),
            File(name: "escapes.yaml", bytes: text("a: \"\\u263A \\x41 \\N \\_ \\t\"\nb: 'it''s'\nc: plain\n  continued\n"), paths: [".c"]),
            File(name: "bad-escape.yaml", bytes: text("a: \"\\q\"\n")),
            File(name: "long-key.yaml", bytes: text(String(repeating: "k", count: 1100) + ": 1\na: 2\n")),
            File(name: "reserved.yaml", bytes: text("a: @x\n")),
            File(name: "numbers.yaml", bytes: text("a: [99999999999999999999, -99999999999999999999, 1e400, -1e400, 1e-400, .5e1, 1.0e+3, "
                                                   + "0b101, +0x1F, 0x, 0o, 00, -0, 4294967296, 0xFFFFFFFF, 0o777777777777, !!binary aGVsbG8=, "
                                                   + "123456789.123456789, 0.0000001, -.0]\n")),
            File(name: "tagged-map.yaml", bytes: text("a: !!map {b: 1}\nb: !!seq [1]\nc: !!set {x, y}\n"), paths: [".c"]),
        ]
    }

    /// Symbolic links that stay inside the root (relative, so the host resolves them as
    /// the root does): (name, target). A loop, a dangling link, a link to a file and a
    /// directory link back up (a cycle for walks).
    static let links = [("loop-a.yaml", "loop-b.yaml"), ("loop-b.yaml", "loop-a.yaml"), ("dangling.yaml", "nowhere.yaml"),
                        ("link-to-manifest.yaml", "manifest.yaml"), ("sub/up", ".."), ("sub/deeper.yaml", "../scalars.yaml")]

    /// Paths asked of each link, and of a walk of the whole folder (recursing through links).
    static let linkPaths = [".a", ".kind", ".spec.containers[:].name"]

    /// Writes every file and link under `root`.
    static func write(under root: URL) throws {
        let edge = root.appendingPathComponent(String(dir.dropFirst()))
        try FileManager.default.createDirectory(at: edge.appendingPathComponent("sub"), withIntermediateDirectories: true)
        for f in files() {
            try Data(f.bytes).write(to: edge.appendingPathComponent(f.name))
        }
        for (name, target) in links {
            try FileManager.default.createSymbolicLink(atPath: edge.appendingPathComponent(name).path, withDestinationPath: target)
        }
    }
}
