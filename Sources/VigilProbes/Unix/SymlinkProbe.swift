import Foundation
import VigilOVAL

/// `symlink_object` (unix): the canonical path a symbolic link resolves to, as OpenSCAP
/// 1.3.7's symlink probe reports it. The `filepath` value is used as a literal path
/// (OpenSCAP ignores its operation). On an offline root the link is resolved inside
/// the root (OpenSCAP runs this probe chrooted there).
///
/// - no such file, or not a link: no item (flag `does not exist`), with a message;
/// - a link whose target is missing or that loops: flag `error`, with a message;
/// - any other failure reading the path: flag `error`.
package struct SymlinkProbe: Probe {
    package init() {}

    package var objectTypes: [String] { ["symlink_object"] }

    package func collect(_ object: ResolvedObject, context: ProbeContext) -> CollectedObject {
        guard object.entity("filepath") != nil else { return .error("symlink_object needs a filepath") }
        var collection = FileProbeCollection(budget: context.itemBudget)
        for variant in FileWalkVariants.expand(object) {
            guard let path = variant.value("filepath") else { continue }
            SymlinkProbe.collect(path, target: context.target, into: &collection)
        }
        return collection.result
    }

    static func collect(_ path: String, target: Target, into collection: inout FileProbeCollection) {
        switch target.statResult(path, followLinks: false) {
        case .failure(let failure):
            if failure.code == ENOENT {
                collection.messages.append("File '\(path)' does not exist.")
            } else {
                collection.fail(failure.description)
            }
            return
        case .success(let info):
            guard info.isSymlink else {
                collection.messages.append("File '\(path)' is not a symlink.")
                return
            }
        }
        switch target.canonicalPath(path) {
        case .success(let canonical):
            collection.add(OVALItem(fields: [
                OVALItemField("filepath", path),
                OVALItemField("canonical_path", canonical),
            ]))
        case .failure(let failure):
            switch failure.code {
            case ENOENT: collection.fail("Link target of symlink '\(path)' does not exist.")
            case ELOOP: collection.fail("Link '\(path)' is a circular link.")
            default: collection.fail(failure.description)
            }
        }
    }
}
