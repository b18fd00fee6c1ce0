/// Items grouped by a key, the groups in the order their key first appears: how the CLI counts a bulk request's
/// thousands of vaults by change, policy, outcome or progress instead of listing them one by one.
enum OrderedGroups {
    /// Groups `items` by `key`.
    ///
    /// - Parameters:
    ///   - items: The items, in order.
    ///   - key: Each item's key.
    /// - Returns: One group per distinct key, in order of first appearance, each with its items in order.
    static func of<Item, Key: Hashable>(_ items: [Item], by key: (Item) -> Key) -> [(key: Key, items: [Item])] {
        var order: [Key] = []
        var groups: [Key: [Item]] = [:]
        for item in items {
            let itemKey = key(item)
            if groups[itemKey] == nil { order.append(itemKey) }
            groups[itemKey, default: []].append(item)
        }
        return order.map { ($0, groups[$0] ?? []) }
    }
}
