extension Fold {
    /// An `attempt` event: any current member publishes its own refused attempts. It changes no state; the fold only
    /// checks that every record is well formed, dated no later than the event, and names a request the author knew.
    mutating func applyAttempt(_ event: Event) throws(Refusal) {
        _ = try author(of: event)
        let body = try body(AttemptBody.self, of: event)
        guard (1...AttemptBody.maximumCount).contains(body.attempts.count) else {
            throw Refusal("an attempt event carries 1 to \(AttemptBody.maximumCount) attempts")
        }
        for (index, record) in body.attempts.enumerated() {
            let position = "attempt \(index + 1)"
            guard AttemptRecord.commands.contains(record.command) else {
                throw Refusal("\(position) names an unknown command '\(NameRules.printable(record.command))'")
            }
            guard !record.detail.isEmpty, record.detail.count <= AttemptRecord.maximumDetailLength else {
                throw Refusal(
                    "\(position) has an empty detail or one over \(AttemptRecord.maximumDetailLength) "
                        + "characters"
                )
            }
            guard NameRules.firstHiddenCharacter(in: record.detail) == nil else {
                throw Refusal("\(position) has a control or invisible formatting character in its detail")
            }
            guard !(event.time < record.time) else {
                throw Refusal("\(position) is dated after the event that records it")
            }
            if let request = record.request {
                _ = try self.request(request, for: event)
            }
        }
    }
}
