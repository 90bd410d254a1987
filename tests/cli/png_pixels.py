"""Reads pixels of a PNG as a person looking at it would see them.

Usage: png_pixels.py FILE X,Y [X,Y ...]   prints "#rrggbb" for each point
       png_pixels.py FILE --count RRGGBB   prints how many pixels have that colour
       png_pixels.py FILE --box RRGGBB      prints "x0 y0 x1 y1" around every pixel of that colour

Decodes 8-bit RGB and RGBA PNGs (what rsvg-convert and Chromium write) with
zlib alone, so the tests need no imaging library.
"""
import struct
import sys
import zlib


def read_png(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise SystemExit(f"{path}: not a PNG")
    pos, idat, width = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or colour not in (2, 6) or interlace:
                raise SystemExit(f"{path}: only 8-bit RGB/RGBA, non-interlaced PNGs are read (got {depth}/{colour})")
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, prev = [], bytearray(stride)
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b = prev[i]
            c = prev[i - channels] if i >= channels else 0
            if f == 1:
                line[i] = (line[i] + a) & 0xFF
            elif f == 2:
                line[i] = (line[i] + b) & 0xFF
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        rows.append(bytes(line))
        prev = line
    return width, height, channels, rows


def colour(png, x, y):
    _, _, channels, rows = png
    r, g, b = rows[y][x * channels:x * channels + 3]
    return f"#{r:02x}{g:02x}{b:02x}"


def main():
    png = read_png(sys.argv[1])
    width, height = png[0], png[1]
    if sys.argv[2] in ("--count", "--box"):
        want = "#" + sys.argv[3].lower().lstrip("#")
        hits = [(x, y) for y in range(height) for x in range(width) if colour(png, x, y) == want]
        if sys.argv[2] == "--count":
            print(len(hits))
        elif hits:
            xs, ys = [h[0] for h in hits], [h[1] for h in hits]
            print(min(xs), min(ys), max(xs), max(ys))
        else:
            print("none")
        return
    for point in sys.argv[2:]:
        x, y = map(int, point.split(","))
        print(colour(png, x, y))


if __name__ == "__main__":
    main()
