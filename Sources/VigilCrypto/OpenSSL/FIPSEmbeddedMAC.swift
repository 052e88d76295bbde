/// The MAC a Red Hat build embeds in its FIPS module instead of writing `module-mac`:
/// the 32 bytes of the ELF section `.rodata1`, written after the build as the
/// HMAC-SHA256 (default FIPS key) of the module with those bytes zeroed (RHEL 9's
/// `embed-hmac` patch and its spec file: `objcopy --update-section .rodata1=...`).
/// Read from the file's bytes (64-bit little-endian ELF), bounds-checked, never loaded.
struct FIPSEmbeddedMAC {
    static let sectionName = ".rodata1"
    static let length = 32

    /// Where the MAC sits in the file.
    let offset: Int

    /// The `.rodata1` section of 32 bytes of `elf`, or nil when there is none.
    init?(_ elf: [UInt8]) {
        guard elf.count >= 64, elf[0] == 0x7F, elf[1] == 0x45, elf[2] == 0x4C, elf[3] == 0x46,
              elf[4] == 2, elf[5] == 1 else { return nil }
        let sectionTable = Self.integer(elf, 0x28, 8)
        let entrySize = Self.integer(elf, 0x3A, 2)
        let count = Self.integer(elf, 0x3C, 2)
        let namesIndex = Self.integer(elf, 0x3E, 2)
        guard let table = sectionTable, let size = entrySize, size >= 40, let n = count, let names = namesIndex, names < n,
              table >= 0, table <= elf.count, n <= (elf.count - table) / size else { return nil }
        guard let namesOffset = Self.integer(elf, table + names * size + 24, 8) else { return nil }
        for i in 0..<n {
            let header = table + i * size
            guard let nameIndex = Self.integer(elf, header, 4), let offset = Self.integer(elf, header + 24, 8),
                  let length = Self.integer(elf, header + 32, 8) else { return nil }
            guard length == Self.length, offset >= 0, offset <= elf.count - Self.length,
                  Self.name(elf, at: namesOffset + nameIndex) == Self.sectionName else { continue }
            self.offset = offset
            return
        }
        return nil
    }

    /// The embedded MAC.
    func mac(_ elf: [UInt8]) -> [UInt8] { Array(elf[offset..<offset + Self.length]) }

    /// The module as it was MAC'd: the embedded MAC zeroed.
    func zeroed(_ elf: [UInt8]) -> [UInt8] {
        var copy = elf
        copy.replaceSubrange(offset..<offset + Self.length, with: repeatElement(0, count: Self.length))
        return copy
    }

    /// A little-endian unsigned integer of `width` bytes at `at`, nil when out of bounds or
    /// beyond `Int`.
    static func integer(_ b: [UInt8], _ at: Int, _ width: Int) -> Int? {
        guard at >= 0, at <= b.count - width else { return nil }
        var v: UInt64 = 0
        for i in (0..<width).reversed() { v = v << 8 | UInt64(b[at + i]) }
        return v <= UInt64(Int32.max) ? Int(v) : nil
    }

    private static func name(_ b: [UInt8], at: Int) -> String? {
        guard at >= 0, at < b.count else { return nil }
        let end = b[at...].prefix(64).firstIndex(of: 0) ?? min(at + 64, b.count)
        return String(decoding: b[at..<end], as: UTF8.self)
    }
}
