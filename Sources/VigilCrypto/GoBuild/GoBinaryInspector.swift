import Foundation
import VigilTarget

/// What reading one named file as a Go binary found.
public enum GoBinaryFinding: Sendable {
    /// No file at the path.
    case absent
    /// A readable file that is not a Go program: not ELF, or ELF without build information.
    case notGo(String)
    /// A Go program.
    case go(GoBinaryInfo)
    /// It could not be read or its format is broken (truncated, pointers outside the file).
    case problem(String)
}

/// Reads files of a target as Go binaries, through `Target.withOpenFile` and `pread`
/// (headers, the build information block and the executable segments, never the whole
/// file, nothing loaded or run). Results are memoized per scan in the `NativeCache`.
public enum GoBinaryInspector {
    /// The finding for `path`, computed once per scan.
    public static func inspect(_ path: String, _ context: NativeContext) -> GoBinaryFinding {
        context.cache.value("go_binary:\(path)") { inspect(path, context.target) }
    }

    /// The finding for `path`, uncached.
    public static func inspect(_ path: String, _ target: any Target) -> GoBinaryFinding {
        switch target.statResult(path, followLinks: true) {
        case .failure(let f) where f.code == ENOENT || f.code == ENOTDIR: return .absent
        case .failure(let f): return .problem("cannot read: \(f)")
        case .success(let info) where !info.isRegular: return .problem("not a regular file")
        case .success: break
        }
        do {
            return try target.withOpenFile(path) { file in try inspect(DescriptorByteSource(file)) }
        } catch let e as BinaryFormatError {
            return .problem(e.message)
        } catch {
            return .problem("cannot read: \(error)")
        }
    }

    /// The finding for a file's bytes.
    public static func inspect(_ source: any ByteSource) throws -> GoBinaryFinding {
        guard ELFImage.isELF(source) else { return .notGo("not an ELF file") }
        let elf = try ELFImage(source)
        guard let blob = try GoBuildInfoReader.read(elf) else { return .notGo("ELF file without Go build information") }
        return .go(GoBinaryInfo(blob: blob, markers: try GoCodeMarker.find(in: elf)))
    }
}
