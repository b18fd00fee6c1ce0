/// A GF(2^8)-linear map with public coefficients, `output[o] = Σ_i matrix[o][i] • input[i]` byte by byte,
/// compiled into straight-line instructions on ``VectorBlock``s: load, XOR, double (multiply by x), store.
///
/// Multiplying by x is GF(2)-linear, so a product `c • y` is the XOR of `x^b • y` over the set bits `b` of `c`, and
/// a whole combination `Σ c_i • y_i` can share its doublings. Two evaluation orders are compiled, and the cheaper
/// one for the matrix at hand is used:
///
/// - ``Strategy/outputHorner``: per output, Horner's rule over bit positions,
///   `acc = 2 • acc + Σ {y_i : bit b of c_i set}` for b from the top bit down: at most 7 doublings per output
///   however many inputs there are (combine: one output, k inputs).
/// - ``Strategy/inputChains``: per input, the doubling chain `y, 2y, 4y, …` up to the highest bit any output
///   needs, kept in scratch; then every output is a pure XOR of chain entries: at most 7 doublings per input
///   however many outputs there are (split: k inputs, n outputs; with x = 1…5 only 2 and 4 doublings).
///
/// The instructions depend only on the matrix, which is public (x-coordinates, their powers, Lagrange weights):
/// there is no branch and no memory index that depends on the data, so the map runs in constant time with
/// respect to secret inputs.
struct LinearProgram {
    /// How the map is evaluated (both give identical results).
    enum Strategy {
        /// Horner's rule over the bit positions of each output's coefficients.
        case outputHorner
        /// Doubling chains of the inputs, then XORs per output.
        case inputChains
    }

    /// The program, a flat list of counts and operand indices (operands: inputs `0..<inputCount`, then
    /// `outputCount` outputs, then `temporaryCount` scratch blocks). Only loops read it, no `switch`: the
    /// accumulator then stays in registers.
    ///
    /// - ``Strategy/outputHorner``, per output: `rounds`, then per round (top bit first) `count` and that many
    ///   operands to XOR after doubling the accumulator, then the output operand.
    /// - ``Strategy/inputChains``: `chains`, then per chain `input, length, firstTemporary` (temporaries
    ///   `firstTemporary + b - 1` receive `x^b • input`, b = 1…length); then per output `count`, that many operands
    ///   to XOR, and the output operand.
    let code: UnsafeBufferPointer<UInt32>
    /// Operands `0..<inputCount` are the inputs, then `outputCount` outputs, then `temporaryCount` scratch blocks.
    let inputCount: Int
    let outputCount: Int
    let temporaryCount: Int
    let strategy: Strategy

    /// The number of streamed operands (inputs and outputs), which advance through the data.
    var streamedCount: Int { inputCount + outputCount }

    /// The pointer table ``apply(byteCount:operands:scratch:)`` needs: every operand, plus the saved outputs of
    /// the partial last vector.
    var operandTableCount: Int { streamedCount + temporaryCount + outputCount }

    /// The scratch bytes ``apply(byteCount:operands:scratch:)`` needs: one block per temporary, one vector per
    /// streamed operand for the zero-padded partial last vector.
    var scratchByteCount: Int { temporaryCount * EightVectors.byteCount + streamedCount * OneVector.byteCount }

    /// Compiles the map and calls `body` with the program; the instructions live in temporary memory (on the
    /// stack when small), so the program must not escape `body`.
    ///
    /// - Parameters:
    ///   - matrix: `outputs × inputs` public coefficients, row-major (row *o* is output *o*).
    ///   - outputs: The number of outputs, `1...256`.
    ///   - inputs: The number of inputs, `1...256`.
    ///   - strategy: Forces an evaluation order (tests); nil picks the cheaper one.
    ///   - body: Runs the map with ``apply(byteCount:operands:scratch:)``.
    /// - Returns: What `body` returns.
    static func withCompiled<R>(
        matrix: UnsafeBufferPointer<UInt8>,
        outputs: Int,
        inputs: Int,
        strategy: Strategy? = nil,
        _ body: (LinearProgram) -> R
    ) -> R {
        precondition(matrix.count == outputs * inputs && outputs >= 1 && inputs >= 1, "matrix shape")
        precondition(outputs <= 256 && inputs <= 256, "at most 256 inputs and outputs")
        // Highest bit (bit length - 1) needed per input and per output, and the number of set bits.
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: inputs + outputs) { tops in
            tops.initialize(repeating: -1)
            var setBits = 0
            for o in 0..<outputs {
                for i in 0..<inputs {
                    let c = matrix[o * inputs + i]
                    guard c != 0 else { continue }
                    let top = 7 - c.leadingZeroBitCount
                    tops[i] = max(tops[i], top)
                    tops[inputs + o] = max(tops[inputs + o], top)
                    setBits += c.nonzeroBitCount
                }
            }
            // Both orders load or XOR once per set bit and store once per output; they differ in the doublings.
            var chainInstructions = 0  // a load, then a doubling and a store per chain entry
            var chainTemporaries = 0
            for i in 0..<inputs where tops[i] > 0 {
                chainInstructions += 1 + 2 * tops[i]
                chainTemporaries += tops[i]
            }
            var hornerDoublings = 0
            for o in 0..<outputs { hornerDoublings += max(0, tops[inputs + o]) }
            // Cost per vector of what differs: a doubling is 4 vector instructions (plus a store in a chain), and
            // every chain starts with a load. Loads/XORs of set bits and the output stores are common to both.
            let chainsCost = 2 * (chainInstructions - 2 * chainTemporaries) + 5 * chainTemporaries
            let hornerCost = 4 * hornerDoublings
            let chosen = strategy ?? (chainsCost < hornerCost ? .inputChains : .outputHorner)
            // Code words: every set bit is one operand; each output adds its operand and a count per round/list.
            var count = setBits + 2 * outputs
            if chosen == .inputChains {
                count += 1 + 3 * chainCount(tops, inputs)
            } else {
                for o in 0..<outputs { count += max(0, tops[inputs + o] + 1) }
            }
            let temporaries = chosen == .inputChains ? chainTemporaries : 0

            return withUnsafeTemporaryAllocation(of: UInt32.self, capacity: count) { code in
                var emitted = 0
                func emit(_ word: Int) {
                    code[emitted] = UInt32(truncatingIfNeeded: word)
                    emitted += 1
                }
                let firstTemporary = inputs + outputs
                switch chosen {
                case .inputChains:
                    emit(chainCount(tops, inputs))
                    // Temporary base + b - 1 holds x^b • input i; `tops` is reused for the bases from here on.
                    var next = firstTemporary
                    for i in 0..<inputs {
                        let top = tops[i]
                        tops[i] = next
                        guard top > 0 else { continue }
                        emit(i)
                        emit(top)
                        emit(next)
                        next += top
                    }
                    for o in 0..<outputs {
                        let countIndex = emitted
                        emit(0)
                        var terms = 0
                        for i in 0..<inputs {
                            let c = matrix[o * inputs + i]
                            for b in 0..<8 where (c >> UInt8(b)) & 1 != 0 {
                                emit(b == 0 ? i : tops[i] + b - 1)
                                terms += 1
                            }
                        }
                        code[countIndex] = UInt32(terms)
                        emit(inputs + o)
                    }
                case .outputHorner:
                    for o in 0..<outputs {
                        let top = tops[inputs + o]
                        emit(top + 1)
                        if top >= 0 {
                            for b in stride(from: top, through: 0, by: -1) {
                                let countIndex = emitted
                                emit(0)
                                var terms = 0
                                for i in 0..<inputs where (matrix[o * inputs + i] >> UInt8(b)) & 1 != 0 {
                                    emit(i)
                                    terms += 1
                                }
                                code[countIndex] = UInt32(terms)
                            }
                        }
                        emit(inputs + o)
                    }
                }
                assert(emitted == count, "code size")
                let program = LinearProgram(
                    code: UnsafeBufferPointer(rebasing: code[0..<emitted]),
                    inputCount: inputs,
                    outputCount: outputs,
                    temporaryCount: temporaries,
                    strategy: chosen
                )
                return body(program)
            }
        }
    }

    /// The number of inputs that need a doubling chain (their highest needed bit is above bit 0).
    private static func chainCount(_ tops: UnsafeMutableBufferPointer<Int>, _ inputs: Int) -> Int {
        var chains = 0
        for i in 0..<inputs where tops[i] > 0 { chains += 1 }
        return chains
    }
}
