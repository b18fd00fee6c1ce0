#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where escrow gets the current time from: the system clock in production, a fixed or stepping clock in tests.
public struct EscrowClock: Sendable {
    private let read: @Sendable () -> UTCTime

    /// A clock that returns whatever `read` returns.
    ///
    /// - Parameter read: Returns the current time.
    public init(_ read: @escaping @Sendable () -> UTCTime) { self.read = read }

    /// The current time.
    public var now: UTCTime { read() }

    /// The system's wall clock (`time(2)`).
    public static let system = EscrowClock { UTCTime(secondsSinceEpoch: Int64(time(nil))) }

    /// A clock stopped at `time` (for tests and reproducible examples).
    ///
    /// - Parameter time: The time it always returns.
    /// - Returns: The clock.
    public static func fixed(_ time: UTCTime) -> EscrowClock { EscrowClock { time } }
}
