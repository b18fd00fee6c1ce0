import Sodium

/// A TOTP code at some moment: the digits (a short-lived secret, kept in guarded memory) and how long they stay valid.
public struct TOTPCode: Sendable {
    /// The ASCII digits, e.g. `287082`.
    public let digits: SecureBytes
    /// Seconds until the next time step (1…period).
    public let secondsLeft: Int
    /// The time-step counter the code was computed for.
    public let counter: UInt64

    /// Pairs a code with its validity.
    ///
    /// - Parameters:
    ///   - digits: The ASCII digits.
    ///   - secondsLeft: Seconds until the next step.
    ///   - counter: The time-step counter.
    public init(digits: SecureBytes, secondsLeft: Int, counter: UInt64) {
        self.digits = digits
        self.secondsLeft = secondsLeft
        self.counter = counter
    }
}
