extension LinearProgram {
    /// Runs the map over `byteCount` bytes of every input and output.
    ///
    /// Before the call, `operands[0..<streamedCount]` point at the first byte of each input, then each output
    /// (each must have `byteCount` bytes; outputs must not overlap inputs). The rest of the table and `scratch`
    /// are set up here. Whole 128-byte blocks go through ``EightVectors``, whole vectors through ``OneVector``,
    /// and the last partial vector through zero-padded copies in `scratch`.
    ///
    /// - Parameters:
    ///   - byteCount: The bytes per input/output row.
    ///   - operands: ``operandTableCount`` pointers; the streamed ones are advanced past the data.
    ///   - scratch: ``scratchByteCount`` bytes (16-byte aligned, initialised); holds data derived from the inputs
    ///     afterwards, so the caller wipes it.
    /// - Complexity: O(`byteCount` × code size); constant time in the data.
    func apply(
        byteCount: Int,
        operands: UnsafeMutablePointer<UnsafeMutableRawPointer>,
        scratch: UnsafeMutableRawPointer
    ) {
        let streamed = streamedCount
        for t in 0..<temporaryCount {
            operands[streamed + t] = scratch + t * EightVectors.byteCount
        }
        var remaining = byteCount
        while remaining >= EightVectors.byteCount {
            execute(EightVectors.self, operands)
            advance(operands, by: EightVectors.byteCount)
            remaining -= EightVectors.byteCount
        }
        while remaining >= OneVector.byteCount {
            execute(OneVector.self, operands)
            advance(operands, by: OneVector.byteCount)
            remaining -= OneVector.byteCount
        }
        guard remaining > 0 else { return }
        // The partial last vector: inputs copied into zeroed slots, outputs written to slots and copied out.
        let slots = scratch + temporaryCount * EightVectors.byteCount
        let saved = operands + streamed + temporaryCount
        for s in 0..<streamed {
            let slot = slots + s * OneVector.byteCount
            slot.initializeMemory(as: UInt8.self, repeating: 0, count: OneVector.byteCount)
            if s < inputCount {
                slot.copyMemory(from: operands[s], byteCount: remaining)
            } else {
                saved[s - inputCount] = operands[s]
            }
            operands[s] = slot
        }
        execute(OneVector.self, operands)
        for o in 0..<outputCount {
            saved[o].copyMemory(from: operands[inputCount + o], byteCount: remaining)
        }
    }

    @inline(__always)
    private func advance(_ operands: UnsafeMutablePointer<UnsafeMutableRawPointer>, by step: Int) {
        for s in 0..<streamedCount { operands[s] += step }
    }

    @inline(__always)
    private func execute<Block: VectorBlock>(_: Block.Type, _ operands: UnsafeMutablePointer<UnsafeMutableRawPointer>) {
        switch strategy {
        case .outputHorner: executeHorner(Block.self, operands)
        case .inputChains: executeChains(Block.self, operands)
        }
    }

    /// One pass of the code over one block: per output, Horner's rule over bit positions. The accumulator lives in
    /// registers; loop trip counts come from the (public) code only.
    @inline(__always)
    private func executeHorner<Block: VectorBlock>(
        _: Block.Type,
        _ operands: UnsafeMutablePointer<UnsafeMutableRawPointer>
    ) {
        guard var word = code.baseAddress else { return }
        for _ in 0..<outputCount {
            var rounds = Int(word.pointee)
            word += 1
            var acc = Block.zero
            if rounds > 0 {
                // The top round has at least one term: load it instead of doubling and adding to zero.
                var terms = Int(word.pointee)
                acc = Block(loadingFrom: operands[Int(word[1])])
                word += 2
                terms -= 1
                while terms > 0 {
                    acc = acc ^ Block(loadingFrom: operands[Int(word.pointee)])
                    word += 1
                    terms -= 1
                }
                rounds -= 1
            }
            while rounds > 0 {
                acc = acc.doubled()
                var terms = Int(word.pointee)
                word += 1
                while terms > 0 {
                    acc = acc ^ Block(loadingFrom: operands[Int(word.pointee)])
                    word += 1
                    terms -= 1
                }
                rounds -= 1
            }
            acc.store(to: operands[Int(word.pointee)])
            word += 1
        }
    }

    /// One pass of the code over one block: the doubling chains into the temporaries, then each output as the XOR
    /// of its terms.
    @inline(__always)
    private func executeChains<Block: VectorBlock>(
        _: Block.Type,
        _ operands: UnsafeMutablePointer<UnsafeMutableRawPointer>
    ) {
        guard var word = code.baseAddress else { return }
        var chains = Int(word.pointee)
        word += 1
        while chains > 0 {
            var acc = Block(loadingFrom: operands[Int(word[0])])
            let length = Int(word[1])
            var temporary = Int(word[2])
            word += 3
            for _ in 0..<length {
                acc = acc.doubled()
                acc.store(to: operands[temporary])
                temporary += 1
            }
            chains -= 1
        }
        for _ in 0..<outputCount {
            var terms = Int(word.pointee)
            word += 1
            var acc = Block.zero
            if terms > 0 {
                acc = Block(loadingFrom: operands[Int(word.pointee)])
                word += 1
                terms -= 1
            }
            while terms > 0 {
                acc = acc ^ Block(loadingFrom: operands[Int(word.pointee)])
                word += 1
                terms -= 1
            }
            acc.store(to: operands[Int(word.pointee)])
            word += 1
        }
    }
}
