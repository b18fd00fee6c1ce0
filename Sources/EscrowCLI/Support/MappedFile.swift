import Platform

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A read-only, private memory mapping of a whole regular file: large inputs are read straight from the page cache,
/// without copying them into process memory (nothing of ours to wipe, no `mlock` budget).
///
/// Pages are mapped on first touch; ``release(_:)`` drops the pages of a processed range from the process again
/// (the page cache keeps them), so the resident size stays at one window however large the file is.
///
/// Immutable after creation and safe to read from several threads (``release(_:)`` is a system call).
///
/// - Important: If another process truncates the file while it is mapped, touching the lost pages raises `SIGBUS`.
///   Callers verify a checksum over what they read and compare the file's status before and after, so a file
///   changed under them is reported, not trusted.
final class MappedFile: @unchecked Sendable {
    /// The file's bytes.
    let bytes: UnsafeRawBufferPointer
    private let pageSize: Int

    /// Maps `size` bytes of the open file `fd` (a regular file). `name` names it in errors.
    init(fd: Int32, size: Int, name: String) throws {
        pageSize = max(4096, Int(sysconf(Int32(_SC_PAGESIZE))))
        guard size > 0 else {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let address, address != MAP_FAILED else {
            throw CLIError("cannot read \(name): \(FileDescriptorIO.describe())")
        }
        _ = madvise(address, size, MADV_SEQUENTIAL)
        bytes = UnsafeRawBufferPointer(start: address, count: size)
    }

    /// Tells the kernel the process is done with `range` for now: its whole pages leave the resident set (they are
    /// mapped again from the page cache if touched later).
    func release(_ range: Range<Int>) {
        guard let base = bytes.baseAddress else { return }
        let start = (range.lowerBound + pageSize - 1) / pageSize * pageSize
        let end = range.upperBound == bytes.count ? bytes.count : range.upperBound / pageSize * pageSize
        guard end > start else { return }
        _ = madvise(UnsafeMutableRawPointer(mutating: base + start), end - start, MADV_DONTNEED)
    }

    deinit {
        if let base = bytes.baseAddress {
            munmap(UnsafeMutableRawPointer(mutating: base), bytes.count)
        }
    }
}
