/// Key adjacency of a keyboard layout, for finding keyboard patterns (`qwerty`, `1qaz2wsx`, `zxcvbn`, `7896`) in
/// passphrases. Built from the layout's rows, not from a data file: keys are placed where they sit on the keyboard
/// (each row shifted by its real offset), and two keys are neighbours when they touch.
struct KeyboardGraph: Sendable {
    /// Six directions for a staggered keyboard, eight for a keypad grid.
    static let directionCount = 8

    /// For each byte, its neighbour in each direction (0 = none).
    private let neighbours: [[UInt8]]
    /// Which bytes are the shifted face of a key (`Q`, `!`).
    private let shifted: [Bool]
    /// For each byte, the unshifted face of its key (0 if it is no key).
    private let base: [UInt8]
    /// The number of keys (starting positions of a pattern).
    let startingPositions: Double
    /// The average number of neighbours of a key.
    let averageDegree: Double

    /// Builds a graph from rows of keys, each key one or two characters (unshifted, shifted), a row's keys starting
    /// `offset` key widths from the left; `grid` makes a grid with eight neighbours (a keypad).
    init(rows: [(offset: Double, keys: [String])], grid: Bool) {
        var neighbours = [[UInt8]](repeating: [UInt8](repeating: 0, count: Self.directionCount), count: 256)
        var shifted = [Bool](repeating: false, count: 256)
        var base = [UInt8](repeating: 0, count: 256)
        var keys = 0
        var edges = 0
        // Centre of each key: (x, y) in key widths.
        var placed: [(faces: [UInt8], x: Double, y: Int)] = []
        for (y, row) in rows.enumerated() {
            for (index, key) in row.keys.enumerated() {
                let faces = Array(key.utf8)
                placed.append((faces, row.offset + Double(index) + 0.5, y))
                if faces.count > 1 { shifted[Int(faces[1])] = true }
                for face in faces { base[Int(face)] = faces[0] }
            }
        }
        for key in placed {
            var found = [UInt8](repeating: 0, count: Self.directionCount)
            for other in placed where other.y != key.y || other.x != key.x {
                let dx = other.x - key.x
                let dy = other.y - key.y
                let direction: Int?
                if dy == 0 {
                    direction = abs(dx) == 1 ? (dx < 0 ? 0 : 1) : nil
                } else if abs(dy) == 1 {
                    let vertical = dy < 0 ? 0 : 2
                    let horizontal = dx < 0 ? 0 : 1
                    if grid, dx == 0 {
                        direction = 6 + vertical / 2
                    } else if grid {
                        direction = abs(dx) == 1 ? 2 + vertical + horizontal : nil
                    } else {
                        direction = abs(dx) < 1 ? 2 + vertical + horizontal : nil
                    }
                } else {
                    direction = nil
                }
                if let direction, let face = other.faces.first { found[direction] = face }
            }
            keys += 1
            edges += found.filter { $0 != 0 }.count
            for face in key.faces {
                // A shifted face's neighbours are the keys around it (shifted or not: both count).
                neighbours[Int(face)] = found
            }
        }
        self.neighbours = neighbours
        self.shifted = shifted
        self.base = base
        startingPositions = Double(keys)
        averageDegree = keys == 0 ? 0 : Double(edges) / Double(keys)
    }

    /// The direction from `a` to `b` if they are neighbours (comparing key faces: `1` and `!` are one key).
    func direction(from a: UInt8, to b: UInt8) -> Int? {
        let target = base[Int(b)]
        guard target != 0 else { return nil }
        let around = neighbours[Int(a)]
        for direction in 0..<Self.directionCount where around[direction] != 0 && around[direction] == target {
            return direction
        }
        return nil
    }

    /// Whether `byte` is a key of this layout.
    func contains(_ byte: UInt8) -> Bool { base[Int(byte)] != 0 }

    /// Whether `byte` is a shifted face.
    func isShifted(_ byte: UInt8) -> Bool { shifted[Int(byte)] }

    /// US QWERTY, rows at their real offsets (Tab 1.5, Caps Lock 1.75, Shift 2.25 key widths).
    static let qwerty = KeyboardGraph(
        rows: [
            (0, ["`~", "1!", "2@", "3#", "4$", "5%", "6^", "7&", "8*", "9(", "0)", "-_", "=+"]),
            (1.5, ["qQ", "wW", "eE", "rR", "tT", "yY", "uU", "iI", "oO", "pP", "[{", "]}", "\\|"]),
            (1.75, ["aA", "sS", "dD", "fF", "gG", "hH", "jJ", "kK", "lL", ";:", "'\""]),
            (2.25, ["zZ", "xX", "cC", "vV", "bB", "nN", "mM", ",<", ".>", "/?"]),
        ],
        grid: false
    )

    /// A numeric keypad.
    static let keypad = KeyboardGraph(
        rows: [
            (1, ["/", "*", "-"]), (0, ["7", "8", "9", "+"]), (0, ["4", "5", "6"]), (0, ["1", "2", "3"]),
            (0, ["0", "."]),
        ],
        grid: true
    )
}
