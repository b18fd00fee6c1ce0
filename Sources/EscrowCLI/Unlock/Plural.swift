/// English counts with the right plural: `1 approval`, `2 approvals`, `0 approvals`.
enum Plural {
    /// The count and the noun, pluralised with `s` unless the count is 1.
    ///
    /// - Parameters:
    ///   - count: How many.
    ///   - noun: The singular noun.
    /// - Returns: `3 approvals`.
    static func count(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }
}
