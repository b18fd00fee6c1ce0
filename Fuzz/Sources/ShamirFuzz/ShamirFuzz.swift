import ShamirFuzzTargets

/// libFuzzer entry point: hands the input to ``ShamirFuzzTargets``.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    ShamirFuzzTargets.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
