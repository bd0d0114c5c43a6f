import CZlib

/// Drives a zlib stream over one block: all of the input offered at once, output taken in 4 KiB
/// windows until the caller's verdict ends the loop.
enum ZlibPump {
    /// What one call of the zlib step left behind.
    struct Window {
        /// Bytes the step wrote into the window.
        var produced: Int
        /// Whether it filled the window (more output may be waiting).
        var full: Bool
        /// Input bytes not consumed yet.
        var inputLeft: Int
    }

    /// Offers `input` to `stream`, then calls `step` once per empty output window, appending
    /// what it wrote to `output`, until `verdict` (given the step's code, the window and the
    /// output's size so far) returns the final code. The stream's input pointers are cleared after.
    static func run(_ stream: UnsafeMutablePointer<z_stream>, input: [UInt8], output: inout [UInt8],
                    step: (UnsafeMutablePointer<z_stream>) -> Int32,
                    verdict: (Int32, Window, Int) -> Int32?) -> Int32 {
        var input = input
        var chunk = [UInt8](repeating: 0, count: 4096)
        return input.withUnsafeMutableBufferPointer { inBuf in
            stream.pointee.next_in = inBuf.baseAddress
            stream.pointee.avail_in = UInt32(inBuf.count)
            defer { stream.pointee.next_in = nil; stream.pointee.avail_in = 0 }
            while true {
                let (rc, produced): (Int32, Int) = chunk.withUnsafeMutableBufferPointer { outBuf in
                    stream.pointee.next_out = outBuf.baseAddress
                    stream.pointee.avail_out = UInt32(outBuf.count)
                    let rc = step(stream)
                    return (rc, outBuf.count - Int(stream.pointee.avail_out))
                }
                output += chunk[0..<produced]
                let window = Window(produced: produced, full: produced == chunk.count,
                                    inputLeft: Int(stream.pointee.avail_in))
                if let final = verdict(rc, window, output.count) { return final }
            }
        }
    }
}
