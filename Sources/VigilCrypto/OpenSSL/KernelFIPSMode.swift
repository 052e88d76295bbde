import Foundation
import VigilTarget

/// Whether the target's kernel is in FIPS mode, as a libcrypto that follows it would see:
/// on a live target (`.runtimeState`) `/proc/sys/crypto/fips_enabled` (its first byte
/// `1`; unreadable means off, as libcrypto reads it); offline, the boot configuration's
/// `fips=` (the last one on a line, as the kernel takes it), from the first of these that
/// exists:
/// 1. `/boot/loader/entries/*.conf` (BLS, RHEL 9, Fedora): every entry's `options` must
///    carry `fips=1` (grubby and fips-mode-setup update all of them);
/// 2. `/etc/kernel/cmdline` (kernel-install, unified kernel images);
/// 3. `GRUB_CMDLINE_LINUX` / `GRUB_CMDLINE_LINUX_DEFAULT` in `/etc/default/grub` and
///    `/etc/default/grub.d/*.cfg`: any uncommented one carrying `fips=1`.
/// No boot configuration at all (a container image, which runs on its host's kernel):
/// `undetermined`.
public enum KernelFIPSMode: Sendable, Equatable {
    /// In FIPS mode; the evidence line that says so (`path:line: fips=1`).
    case on(String)
    /// Not in FIPS mode; why.
    case off(String)
    /// Cannot be known from the target; why.
    case undetermined(String)

    static let switchFile = "/proc/sys/crypto/fips_enabled"
    static let readLimit = 1 << 20

    /// The mode of `target`'s kernel.
    public static func read(_ target: any Target) -> KernelFIPSMode {
        if target.can(.runtimeState) {
            guard let bytes = try? target.readFile(switchFile, limit: 64) else {
                return .off("\(switchFile) not readable: the running kernel is not in FIPS mode")
            }
            let value = String(decoding: bytes.prefix(8), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            return bytes.first == 0x31 ? .on("\(switchFile): \(value)") : .off("\(switchFile): \(value)")
        }
        return bootLoaderEntries(target) ?? kernelCommandLine(target) ?? grubDefaults(target)
            ?? .undetermined("no boot configuration (/boot/loader/entries, /etc/kernel/cmdline, /etc/default/grub): the kernel that runs this system decides")
    }

    /// BLS entries: on when every entry's options carry fips=1.
    static func bootLoaderEntries(_ target: any Target) -> KernelFIPSMode? {
        let dir = "/boot/loader/entries"
        let names = (target.listDirectory(dir) ?? []).filter { $0.hasSuffix(".conf") }.sorted()
        guard !names.isEmpty else { return nil }
        var first: String?
        for name in names {
            let path = dir + "/" + name
            let hit = lines(target, path).lazy.compactMap { (number, line) -> String? in
                guard let rest = argumentsAfter("options", in: line), rest.first?.isWhitespace == true, fipsValue(rest) == "1" else { return nil }
                return "\(path):\(number): fips=1"
            }.first
            guard let hit else { return .off("no fips=1 in the options of \(path) (a boot loader entry)") }
            first = first ?? hit
        }
        return first.map { names.count > 1 ? .on("\($0) (and the \(names.count - 1) other boot entries)") : .on($0) }
    }

    /// `/etc/kernel/cmdline`: the whole file is the command line.
    static func kernelCommandLine(_ target: any Target) -> KernelFIPSMode? {
        let path = "/etc/kernel/cmdline"
        guard target.fileInfo(path) != nil else { return nil }
        for (number, line) in lines(target, path) where fipsValue(line) == "1" { return .on("\(path):\(number): fips=1") }
        return .off("no fips=1 in \(path)")
    }

    /// GRUB's defaults and drop-ins: any GRUB_CMDLINE_LINUX(_DEFAULT) carrying fips=1.
    static func grubDefaults(_ target: any Target) -> KernelFIPSMode? {
        let dropins = (target.listDirectory("/etc/default/grub.d") ?? []).filter { $0.hasSuffix(".cfg") }.sorted().map { "/etc/default/grub.d/" + $0 }
        let files = (["/etc/default/grub"] + dropins).filter { target.fileInfo($0) != nil }
        guard !files.isEmpty else { return nil }
        for path in files {
            for (number, line) in lines(target, path) {
                let value = argumentsAfter("GRUB_CMDLINE_LINUX=", in: line) ?? argumentsAfter("GRUB_CMDLINE_LINUX_DEFAULT=", in: line)
                if let value, fipsValue(value.trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))) == "1" {
                    return .on("\(path):\(number): fips=1")
                }
            }
        }
        return .off("no fips=1 in GRUB_CMDLINE_LINUX of \(files.joined(separator: ", "))")
    }

    /// The numbered lines of a file, leading blanks removed (none when unreadable).
    static func lines(_ target: any Target, _ path: String) -> [(Int, String)] {
        guard let bytes = try? target.readFile(path, limit: readLimit) else { return [] }
        return String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated().map {
            ($0.offset + 1, $0.element.drop { $0 == " " || $0 == "\t" }.description)
        }
    }

    /// What follows `keyword` at the start of `line`, or nil.
    static func argumentsAfter(_ keyword: String, in line: String) -> String? {
        line.hasPrefix(keyword) ? String(line.dropFirst(keyword.count)) : nil
    }

    /// The value of the last `fips=` argument of a command line, or nil.
    static func fipsValue(_ commandLine: String) -> String? {
        commandLine.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\"" || $0 == "'" })
            .last { $0.hasPrefix("fips=") }.map { String($0.dropFirst(5)) }
    }
}
