import Foundation
import VigilOVAL

/// How much one object may collect. An object past either limit is an error ("too many
/// items"), never a silent truncation: a rule whose check would have to judge more than
/// this is `error`, not `pass`. Normal content stays far below (a file object keeps only
/// the files its filters let through). `VIGIL_MAX_ITEMS` and `VIGIL_MAX_ITEM_MB` override
/// the defaults.
public struct ItemBudget: Sendable, Equatable {
    /// The most items one object collects.
    public var maxItems: Int
    /// The most bytes (as `OVALItem.estimatedBytes` counts them) one object's items hold.
    public var maxBytes: Int

    public init(maxItems: Int, maxBytes: Int) {
        self.maxItems = maxItems
        self.maxBytes = maxBytes
    }

    /// 500,000 items and 512 MiB per object, unless the environment says otherwise.
    public static let standard: ItemBudget = {
        let env = ProcessInfo.processInfo.environment
        let items = env["VIGIL_MAX_ITEMS"].flatMap(Int.init).flatMap { $0 > 0 ? $0 : nil } ?? 500_000
        let mb = env["VIGIL_MAX_ITEM_MB"].flatMap(Int.init).flatMap { $0 > 0 ? $0 : nil } ?? 512
        return ItemBudget(maxItems: items, maxBytes: mb << 20)
    }()

    /// The message of an object that went past the budget.
    func exceeded(items: Int, bytes: Int) -> String {
        "too many items: the object holds more than \(maxItems) items or \(maxBytes >> 20) MiB "
            + "(collected \(items) items, about \(bytes >> 20) MiB, when it stopped); it cannot be evaluated"
    }
}
