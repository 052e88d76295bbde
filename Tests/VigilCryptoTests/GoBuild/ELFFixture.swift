import Foundation
@testable import VigilCrypto

/// Builds small ELF files by hand, for the formats Go 1.19 cannot produce here: 32-bit
/// and big-endian files, the pre-1.18 pointer format, Go 1.24 settings, and files whose
/// section headers are stripped. Layout: header, two program headers (text R+X, data
/// R+W), the text bytes, the data bytes, then optionally `.shstrtab` and section headers
/// naming `.text` and `.go.buildinfo` (the start of data).
struct ELFFixture {
    var is64 = true
    var bigEndian = false
    var machine: UInt16 = 62
    var text: [UInt8] = [0x90, 0xC3]
    var data: [UInt8] = []
    var withSections = true
    static let base: UInt64 = 0x400000

    var headerSize: Int { is64 ? 64 : 52 }
    var phentsize: Int { is64 ? 56 : 32 }
    var textOffset: Int { headerSize + 2 * phentsize }
    var dataOffset: Int { (textOffset + text.count + 15) & ~15 }
    /// The virtual address of the data segment's first byte.
    var dataAddress: UInt64 { Self.base + UInt64(dataOffset) }

    func bytes() -> [UInt8] {
        var out = FieldWriter(bigEndian: bigEndian)
        let names: [UInt8] = Array("\0.text\0.go.buildinfo\0.shstrtab\0".utf8)
        let namesOffset = dataOffset + data.count
        let shoff = (namesOffset + names.count + 7) & ~7
        out.bytes += [0x7f, 0x45, 0x4c, 0x46, is64 ? 2 : 1, bigEndian ? 2 : 1, 1, 0] + [UInt8](repeating: 0, count: 8)
        out.u16(2); out.u16(UInt64(machine)); out.u32(1)
        out.word(Self.base, is64)                      // e_entry
        out.word(UInt64(headerSize), is64)              // e_phoff
        out.word(withSections ? UInt64(shoff) : 0, is64) // e_shoff
        out.u32(0); out.u16(UInt64(headerSize)); out.u16(UInt64(phentsize)); out.u16(2)
        out.u16(UInt64(is64 ? 64 : 40)); out.u16(withSections ? 4 : 0); out.u16(withSections ? 3 : 0)
        segment(&out, flags: 5, offset: textOffset, size: text.count)
        segment(&out, flags: 6, offset: dataOffset, size: data.count)
        out.bytes += text
        out.pad(to: dataOffset)
        out.bytes += data
        guard withSections else { return out.bytes }
        out.bytes += names
        out.pad(to: shoff)
        section(&out, name: 0, type: 0, addr: 0, offset: 0, size: 0)
        section(&out, name: 1, type: 1, addr: Self.base + UInt64(textOffset), offset: textOffset, size: text.count)
        section(&out, name: 7, type: 1, addr: dataAddress, offset: dataOffset, size: data.count)
        section(&out, name: 21, type: 3, addr: 0, offset: namesOffset, size: names.count)
        return out.bytes
    }

    private func segment(_ out: inout FieldWriter, flags: UInt64, offset: Int, size: Int) {
        let addr = Self.base + UInt64(offset)
        if is64 {
            out.u32(1); out.u32(flags); out.u64(UInt64(offset)); out.u64(addr); out.u64(addr)
            out.u64(UInt64(size)); out.u64(UInt64(size)); out.u64(16)
        } else {
            out.u32(1); out.u32(UInt64(offset)); out.u32(addr); out.u32(addr)
            out.u32(UInt64(size)); out.u32(UInt64(size)); out.u32(flags); out.u32(16)
        }
    }

    private func section(_ out: inout FieldWriter, name: UInt64, type: UInt64, addr: UInt64, offset: Int, size: Int) {
        out.u32(name); out.u32(type)
        out.word(0, is64); out.word(addr, is64); out.word(UInt64(offset), is64); out.word(UInt64(size), is64)
        out.u32(0); out.u32(0); out.word(1, is64); out.word(0, is64)
    }
}

/// Writes fields of either byte order.
struct FieldWriter {
    var bigEndian: Bool
    var bytes: [UInt8] = []
    mutating func unsigned(_ v: UInt64, _ width: Int) {
        for k in 0..<width {
            let shift = UInt64(8 * (bigEndian ? width - 1 - k : k))
            bytes.append(UInt8(truncatingIfNeeded: v >> shift))
        }
    }
    mutating func u16(_ v: UInt64) { unsigned(v, 2) }
    mutating func u32(_ v: UInt64) { unsigned(v, 4) }
    mutating func u64(_ v: UInt64) { unsigned(v, 8) }
    mutating func word(_ v: UInt64, _ is64: Bool) { unsigned(v, is64 ? 8 : 4) }
    mutating func pad(to n: Int) { if bytes.count < n { bytes += [UInt8](repeating: 0, count: n - bytes.count) } }
}

/// Go build information blocks as the linker writes them.
enum GoBlob {
    static let magic: [UInt8] = [0xff] + Array(" Go buildinf:".utf8)
    static let sentinelStart: [UInt8] = [0x30, 0x77, 0xaf, 0x0c, 0x92, 0x74, 0x08, 0x02, 0x41, 0xe1, 0xc1, 0x07, 0xe6, 0xd6, 0x18, 0xe6]
    static let sentinelEnd: [UInt8] = [0xf9, 0x32, 0x43, 0x31, 0x86, 0x18, 0x20, 0x72, 0x00, 0x82, 0x42, 0x10, 0x41, 0x16, 0xd8, 0xf2]

    /// Module information as `go` frames it (text ending in a newline, between sentinels).
    static func framed(_ modinfo: String) -> [UInt8] {
        modinfo.isEmpty ? [] : sentinelStart + Array(modinfo.utf8) + sentinelEnd
    }

    static func varint(_ v: Int) -> [UInt8] {
        var v = UInt64(v), out: [UInt8] = []
        while v >= 0x80 { out.append(UInt8(v & 0x7f) | 0x80); v >>= 7 }
        return out + [UInt8(v)]
    }

    /// Go 1.18+: header with flag 2, then two varint-prefixed strings.
    static func inline(version: String, modinfo: String, ptrSize: UInt8 = 8, bigEndian: Bool = false) -> [UInt8] {
        let mod = framed(modinfo)
        return magic + [ptrSize, 2 | (bigEndian ? 1 : 0)] + [UInt8](repeating: 0, count: 16)
            + varint(version.utf8.count) + Array(version.utf8) + varint(mod.count) + mod
    }

    /// Go 1.13–1.17: header with two pointers to Go string headers placed after it, in a
    /// data segment starting at `address`.
    static func pointer(version: String, modinfo: String, is64: Bool, bigEndian: Bool, address: UInt64) -> [UInt8] {
        let p = is64 ? 8 : 4
        let mod = framed(modinfo)
        let headers = address + 32
        let versionData = headers + UInt64(4 * p)
        let modData = versionData + UInt64(version.utf8.count)
        var w = FieldWriter(bigEndian: bigEndian)
        w.bytes = magic + [UInt8(p), bigEndian ? 1 : 0]
        w.word(headers, is64); w.word(headers + UInt64(2 * p), is64)
        w.pad(to: 32)
        w.word(versionData, is64); w.word(UInt64(version.utf8.count), is64)
        w.word(modData, is64); w.word(UInt64(mod.count), is64)
        return w.bytes + Array(version.utf8) + mod
    }

    /// `go version -m`'s module text for `settings`.
    static func modinfo(path: String = "example.com/fx", settings: [String]) -> String {
        "path\t\(path)\nmod\t\(path)\t(devel)\t\n" + settings.map { "build\t\($0)\n" }.joined()
    }
}
