/// What a plain pickle of a `str` or `bytes` holds: the file a `file` param's value came from,
/// as the worker's `dump` writes it (`pickle.dumps(value, protocol=5)`, buffers in-band). Only
/// the opcodes Python writes for one such value are read; anything else is not one.
enum PlainPickle {
    /// A `str`'s UTF-8 bytes or a `bytes`' own; nil for a pickle of anything else.
    static func payload(_ data: [UInt8]) -> [UInt8]? {
        var position = 0
        var payload: [UInt8]?
        func length(_ width: Int) -> Int? {
            guard position + width <= data.count else { return nil }
            let value = data[position..<position + width].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            position += width
            return value <= UInt64(data.count) ? Int(value) : nil
        }
        while position < data.count {
            let opcode = data[position]
            position += 1
            switch opcode {
            case 0x80: position += 1  // PROTO
            case 0x95: position += 8  // FRAME
            case 0x94: continue  // MEMOIZE
            case 0x2E: return position == data.count ? payload : nil  // STOP
            default:
                guard payload == nil, let width = width(of: opcode), let count = length(width), position + count <= data.count else { return nil }
                payload = Array(data[position..<position + count])
                position += count
            }
        }
        return nil
    }

    /// How many little-endian bytes give the length, for the opcodes of a `str` or `bytes`.
    private static func width(of opcode: UInt8) -> Int? {
        switch opcode {
        case 0x8C, UInt8(ascii: "C"): 1  // SHORT_BINUNICODE, SHORT_BINBYTES
        case UInt8(ascii: "X"), UInt8(ascii: "B"): 4  // BINUNICODE, BINBYTES
        case 0x8D, 0x8E: 8  // BINUNICODE8, BINBYTES8
        default: nil
        }
    }
}
