/// Splits input text into lines without copying it: each line is a range into the input, numbered as the user
/// sees it (1-based, blank lines counted), with a trailing CR and surrounding spaces and tabs trimmed.
enum Lines {
    struct Line {
        /// The 1-based line number in the input.
        let number: Int
        /// The trimmed content's range in the input.
        let range: Range<Int>
    }

    /// The non-blank lines of `text`.
    static func nonBlank(_ text: UnsafeRawBufferPointer) -> [Line] {
        var lines = [Line]()
        var start = 0
        var number = 1
        let isSpace = { (c: UInt8) in c == 0x20 || c == 0x09 || c == 0x0D }
        while start <= text.count {
            var end = start
            while end < text.count && text[end] != 0x0A { end += 1 }
            var low = start
            var high = end
            while low < high && isSpace(text[low]) { low += 1 }
            while high > low && isSpace(text[high - 1]) { high -= 1 }
            if low < high { lines.append(Line(number: number, range: low..<high)) }
            if end == text.count { break }
            start = end + 1
            number += 1
        }
        return lines
    }
}
