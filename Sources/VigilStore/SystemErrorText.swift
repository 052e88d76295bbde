import Foundation

/// The cause of a failed file operation in plain words ("No such file or directory",
/// "No space left on device"), from the system error under a Foundation error, instead
/// of Foundation's sentence ("The file “x” couldn’t be saved in the folder “y”."), which
/// names the file by its last component only and often hides the cause. Messages put
/// the full path before it themselves.
public enum SystemErrorText {
    public static func cause(of error: any Error) -> String {
        let ns = error as NSError
        if ns.domain == NSPOSIXErrorDomain { return errnoText(Int32(ns.code)) }
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError { return cause(of: underlying) }
        if ns.domain == NSCocoaErrorDomain {
            switch CocoaError.Code(rawValue: ns.code) {
            case .fileNoSuchFile, .fileReadNoSuchFile: return errnoText(ENOENT)
            case .fileReadNoPermission, .fileWriteNoPermission: return errnoText(EACCES)
            case .fileWriteOutOfSpace: return errnoText(ENOSPC)
            case .fileWriteVolumeReadOnly: return errnoText(EROFS)
            case .fileWriteFileExists: return errnoText(EEXIST)
            case .fileReadTooLarge: return errnoText(EFBIG)
            default: break
            }
        }
        return ns.localizedDescription
    }

    /// `strerror` of an errno value.
    public static func errnoText(_ code: Int32) -> String { String(cString: strerror(code)) }
}
