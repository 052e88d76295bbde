import Foundation
import VigilStore

extension ReportRequest {
    /// Why the report cannot be written at `path`, or nil when it can as far as can be told
    /// before writing: "-" (standard output) always can; else the path must not be a
    /// folder or anything but a regular file (a report is written to a temporary file
    /// renamed over it, which would replace a device or a pipe), and its folder must
    /// exist and be writable.
    public var placeProblem: String? {
        if path == "-" { return nil }
        if path.isEmpty { return "no file named" }
        var info = stat()
        if stat(path, &info) == 0 {
            if info.st_mode & S_IFMT == S_IFDIR { return "\(path) is a folder" }
            if info.st_mode & S_IFMT != S_IFREG {
                return "\(path) is not a regular file (a report replaces it; '-' is standard output)"
            }
        }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        guard stat(folder, &info) == 0 else {
            if errno == ENOENT { return "the folder \(folder) does not exist" }
            return "the folder \(folder) cannot be used: \(SystemErrorText.errnoText(errno))"
        }
        guard info.st_mode & S_IFMT == S_IFDIR else { return "\(folder) is not a folder" }
        guard access(folder, W_OK | X_OK) == 0 else {
            return "the folder \(folder) cannot be written: \(SystemErrorText.errnoText(errno))"
        }
        return nil
    }
}
