/// The registry of quorum actions: the type that carries out each action kind a request body can name.
enum QuorumActions {
    /// Every action type, in the order of ``RequestAction/allCases``.
    static var all: [any QuorumAction.Type] { RequestAction.allCases.map(action(for:)) }

    /// The type that carries out `kind`.
    ///
    /// - Parameter kind: A request's action kind.
    /// - Returns: The action type.
    static func action(for kind: RequestAction) -> any QuorumAction.Type {
        switch kind {
        case .open: OpenAction.self
        case .release: ReleaseAction.self
        case .resplit: ReshareAction.self
        case .close: CloseAction.self
        case .reopen: ReopenAction.self
        }
    }
}
