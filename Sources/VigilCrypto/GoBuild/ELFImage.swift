import Foundation

/// The parts of an ELF file (32- or 64-bit, either byte order) that Go's build information
/// and code markers are found through: loadable segments and named sections. Headers are
/// read with limits (`ELFImage.Limits`); any field that points outside the file is a
/// `BinaryFormatError`, never a trap.
public struct ELFImage {
    /// One program header.
    public struct Segment: Equatable, Sendable {
        public var type: UInt32
        public var flags: UInt32
        public var offset: UInt64
        public var vaddr: UInt64
        public var fileSize: UInt64
        public var isLoad: Bool { type == 1 }
        public var isExecutable: Bool { flags & 1 != 0 }
        public var isWritable: Bool { flags & 2 != 0 }
    }

    /// One section header, its name resolved.
    public struct Section: Equatable, Sendable {
        public var name: String
        public var type: UInt32
        public var addr: UInt64
        public var offset: UInt64
        public var size: UInt64
        /// SHT_NOBITS (.bss): occupies no bytes in the file.
        public var hasNoBits: Bool { type == 8 }
    }

    /// Bounds on what a header may ask to be read.
    public enum Limits {
        public static let maxProgramHeaders = 4096
        /// The largest entry size accepted for a program or section header (real files use
        /// 32 to 64 bytes), so a table is at most 4096 or 65535 entries of 256 bytes.
        public static let maxEntrySize = 256
        public static let maxSectionNames = 16 << 20
    }

    public let source: any ByteSource
    public let is64Bit: Bool
    public let bigEndian: Bool
    /// `e_machine` (62 is x86-64, 3 is i386, 183 is AArch64).
    public let machine: UInt16
    public let segments: [Segment]
    /// Empty when the section headers are stripped.
    public let sections: [Section]

    /// Whether the source starts with the ELF magic.
    public static func isELF(_ source: any ByteSource) -> Bool {
        (try? source.read(at: 0, count: 4)) == [0x7f, 0x45, 0x4c, 0x46]
    }

    /// Parses the headers; throws `BinaryFormatError` on anything truncated or out of bounds.
    public init(_ source: any ByteSource) throws {
        self.source = source
        guard source.size >= 16, Self.isELF(source) else { throw BinaryFormatError("not an ELF file") }
        let ident = try source.read(at: 0, count: 16)
        guard ident[4] == 1 || ident[4] == 2 else { throw BinaryFormatError("ELF class \(ident[4]) is neither 32- nor 64-bit") }
        guard ident[5] == 1 || ident[5] == 2 else { throw BinaryFormatError("ELF data encoding \(ident[5]) is neither little nor big endian") }
        is64Bit = ident[4] == 2
        bigEndian = ident[5] == 2
        let header = try Self.readHeader(source, is64Bit: is64Bit, bigEndian: bigEndian)
        machine = header.machine
        segments = try Self.readSegments(source, header, is64Bit: is64Bit, bigEndian: bigEndian)
        sections = try Self.readSections(source, header, is64Bit: is64Bit, bigEndian: bigEndian)
    }

    /// The section named `name`, or nil.
    public func section(named name: String) -> Section? { sections.first { $0.name == name } }

    /// Up to `count` bytes at virtual address `address`, from the loadable segment holding
    /// it (as Go's debug/buildinfo reads); nil when no segment's file bytes hold it.
    public func readMemory(_ address: UInt64, upTo count: Int) throws -> [UInt8]? {
        for s in segments where s.isLoad && s.fileSize > 0 && s.vaddr <= address && address - s.vaddr < s.fileSize {
            let n = min(UInt64(count), s.fileSize - (address - s.vaddr))
            let (offset, overflow) = s.offset.addingReportingOverflow(address - s.vaddr)
            guard !overflow else { return nil }
            try source.checkRange(offset, n, "segment data at address 0x\(String(address, radix: 16))")
            return try source.read(at: offset, count: Int(n))
        }
        return nil
    }

    // MARK: headers

    struct Header {
        var machine: UInt16
        var phoff: UInt64, phentsize: Int, phnum: Int
        var shoff: UInt64, shentsize: Int, shnum: Int, shstrndx: Int
    }

    private static func readHeader(_ source: any ByteSource, is64Bit: Bool, bigEndian: Bool) throws -> Header {
        let size = is64Bit ? 64 : 52
        try source.checkRange(0, UInt64(size), "ELF header")
        let r = FieldReader(try source.read(at: 0, count: size), bigEndian: bigEndian)
        if is64Bit {
            return Header(machine: r.u16(18), phoff: r.u64(32), phentsize: Int(r.u16(54)), phnum: Int(r.u16(56)),
                          shoff: r.u64(40), shentsize: Int(r.u16(58)), shnum: Int(r.u16(60)), shstrndx: Int(r.u16(62)))
        }
        return Header(machine: r.u16(18), phoff: UInt64(r.u32(28)), phentsize: Int(r.u16(42)), phnum: Int(r.u16(44)),
                      shoff: UInt64(r.u32(32)), shentsize: Int(r.u16(46)), shnum: Int(r.u16(48)), shstrndx: Int(r.u16(50)))
    }

    private static func readSegments(_ source: any ByteSource, _ h: Header, is64Bit: Bool, bigEndian: Bool) throws -> [Segment] {
        guard h.phnum > 0 else { return [] }
        let entry = is64Bit ? 56 : 32
        guard h.phentsize >= entry, h.phentsize <= Limits.maxEntrySize else {
            throw BinaryFormatError("program header size \(h.phentsize) is not between \(entry) and \(Limits.maxEntrySize)")
        }
        guard h.phnum <= Limits.maxProgramHeaders else { throw BinaryFormatError("\(h.phnum) program headers (limit \(Limits.maxProgramHeaders))") }
        try source.checkRange(h.phoff, UInt64(h.phnum * h.phentsize), "program header table")
        let table = try source.read(at: h.phoff, count: h.phnum * h.phentsize)
        return (0..<h.phnum).map { i in
            let r = FieldReader(Array(table[i * h.phentsize..<i * h.phentsize + entry]), bigEndian: bigEndian)
            if is64Bit {
                return Segment(type: r.u32(0), flags: r.u32(4), offset: r.u64(8), vaddr: r.u64(16), fileSize: r.u64(32))
            }
            return Segment(type: r.u32(0), flags: r.u32(24), offset: UInt64(r.u32(4)), vaddr: UInt64(r.u32(8)), fileSize: UInt64(r.u32(16)))
        }
    }

    private static func readSections(_ source: any ByteSource, _ h: Header, is64Bit: Bool, bigEndian: Bool) throws -> [Section] {
        guard h.shoff != 0, h.shnum > 0 else { return [] }
        let entry = is64Bit ? 64 : 40
        guard h.shentsize >= entry, h.shentsize <= Limits.maxEntrySize else {
            throw BinaryFormatError("section header size \(h.shentsize) is not between \(entry) and \(Limits.maxEntrySize)")
        }
        try source.checkRange(h.shoff, UInt64(h.shnum * h.shentsize), "section header table")
        let table = try source.read(at: h.shoff, count: h.shnum * h.shentsize)
        var raw: [(nameOffset: Int, section: Section)] = (0..<h.shnum).map { i in
            let r = FieldReader(Array(table[i * h.shentsize..<i * h.shentsize + entry]), bigEndian: bigEndian)
            let s = is64Bit
                ? Section(name: "", type: r.u32(4), addr: r.u64(16), offset: r.u64(24), size: r.u64(32))
                : Section(name: "", type: r.u32(4), addr: UInt64(r.u32(12)), offset: UInt64(r.u32(16)), size: UInt64(r.u32(20)))
            return (Int(r.u32(0)), s)
        }
        guard h.shstrndx > 0, h.shstrndx < raw.count else { return raw.map(\.section) }
        let names = raw[h.shstrndx].section
        guard names.size <= UInt64(Limits.maxSectionNames) else {
            throw BinaryFormatError("section name table of \(names.size) bytes (limit \(Limits.maxSectionNames))")
        }
        try source.checkRange(names.offset, names.size, "section name table")
        let table2 = try source.read(at: names.offset, count: Int(names.size))
        for i in raw.indices where raw[i].nameOffset < table2.count {
            let tail = table2[raw[i].nameOffset...]
            raw[i].section.name = String(decoding: tail.prefix { $0 != 0 }, as: UTF8.self)
        }
        return raw.map(\.section)
    }
}

/// Reads fixed-width unsigned fields of either byte order from a buffer whose length the
/// caller has checked.
struct FieldReader {
    let bytes: [UInt8]
    let bigEndian: Bool
    init(_ bytes: [UInt8], bigEndian: Bool) {
        self.bytes = bytes
        self.bigEndian = bigEndian
    }

    func unsigned(_ at: Int, _ width: Int) -> UInt64 {
        var v: UInt64 = 0
        for k in 0..<width {
            let b = UInt64(bytes[at + (bigEndian ? k : width - 1 - k)])
            v = v << 8 | b
        }
        return v
    }
    func u16(_ at: Int) -> UInt16 { UInt16(unsigned(at, 2)) }
    func u32(_ at: Int) -> UInt32 { UInt32(unsigned(at, 4)) }
    func u64(_ at: Int) -> UInt64 { unsigned(at, 8) }
}
