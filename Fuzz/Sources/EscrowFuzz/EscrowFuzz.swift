import EscrowFuzzTargets

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The target fixed by `ESCROW_FUZZ_TARGET`, if any (an unknown name stops the run).
let fixedTarget: Int? = {
    guard let name = getenv("ESCROW_FUZZ_TARGET").map({ String(cString: $0) }), !name.isEmpty else { return nil }
    guard let index = EscrowFuzzTargets.names.firstIndex(of: name) else {
        let known = EscrowFuzzTargets.names.joined(separator: ", ")
        let line = Array("ESCROW_FUZZ_TARGET: no target '\(name)' (\(known))\n".utf8)
        _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
        exit(2)
    }
    return index
}()

/// libFuzzer entry point: hands the input to ``EscrowFuzzTargets``.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    EscrowFuzzTargets.run(Array(UnsafeBufferPointer(start: data, count: size)), fixed: fixedTarget)
    return 0
}

/// `EscrowFuzz --write-seeds DIR`: writes a few valid inputs per target to `DIR/<target>/` (called from the C entry).
@_cdecl("EscrowFuzzWriteSeeds")
public func writeSeeds(_ directory: UnsafePointer<CChar>) -> CInt {
    let root = String(cString: directory)
    for name in EscrowFuzzTargets.names {
        let folder = "\(root)/\(name)"
        mkdir(folder, 0o755)
        for (number, bytes) in EscrowFuzzTargets.seeds(name).enumerated() {
            let path = "\(folder)/seed-\(number)"
            guard let file = fopen(path, "wb") else { return 1 }
            _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
            fclose(file)
        }
    }
    return 0
}
