#!/usr/bin/python3
"""Seed corpus for fuzz_exposition: slices of the golden pages plus hand-written edge cases.

usage: tests/fuzz/make_corpus.py     (rewrites tests/fuzz/corpus/)
Each file is one option byte (bit 0 = OpenMetrics) followed by the page, as fuzz_exposition.cpp reads it.
"""
import glob
import gzip
import os
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
PAGES = os.path.join(HERE, '..', 'fixtures', 'pages')
OUT = os.path.join(HERE, 'corpus')
TEXT, OM = b'\x00', b'\x01'

EDGE_CASES = [
    (TEXT, b'm{a="x\\\\y",b="q\\"q",c="l\\nl"} 1\n'),
    (TEXT, b'a NaN\nb +Inf\nc -Inf\nd Inf\ne inf\nf -infinity\ng nan\n'),
    (TEXT, b'a -0\nb +5\nc .5\nd 5.\ne 1E3\nf 1e-400\ng 0.1000000000000000055511151231257827\n'),
    (TEXT, b'm 1 1700000000123\nm2{a="b"} 2 -5\n'),
    (TEXT, b'# HELP m x\r\n# TYPE m gauge\r\nm{a="b"} 3\r\n\r\n'),
    (TEXT, b'\n# comment\n#HELP m spaced\n  \t m 1\n'),
    (TEXT, b'm { a = "1" ,\tb="2", } 1\nm{} 2\n'),
    (TEXT, b'# TYPE h histogram\nh_bucket{le="0.1"} 1\nh_bucket{le="+Inf"} 2\nh_sum 0.3\nh_count 2\n'
           b'# TYPE s summary\ns{quantile="0.5"} 0.2\ns_sum 1\ns_count 4\n'),
    (TEXT, b'a{i="1"} 1\nb 2\na{i="2"} 3\n'),
    (TEXT, b'm{a="b" b="c"} 1\n'),
    (TEXT, b'm{a="\xc3\xbc \xe6\x9d\xb1"} 1\n'),
    (OM, b'# TYPE c counter\n# HELP c Requests.\nc_total{a="b"} 1\nc_created{a="b"} 1.7e9\n# EOF\n'),
    (OM, b'# TYPE c counter\nc_total 5 # {trace_id="a"} 1 1700000000.5\n# TYPE h histogram\n'
         b'h_bucket{le="1"} 2 # {t="x"} 0.5\nh_bucket{le="+Inf"} 3\nh_count 3\nh_sum 2.5\n# EOF\n'),
    (OM, b'a 1 1700000000.5\nb 2 1700000000\nc 3 1.7e9\n# EOF'),
    (OM, b'# TYPE s stateset\ns{s="a"} 1\n# TYPE i info\ni_info{v="1"} 1\n# TYPE g gaugehistogram\n'
         b'g_bucket{le="+Inf"} 3\ng_gcount 3\ng_gsum 1\n# TYPE t_seconds gauge\n# UNIT t_seconds seconds\n'
         b't_seconds 2\n# EOF\n'),
    (OM, b'# TYPE s summary\ns{quantile="0.9"} 3\ns_sum 10\ns_count 4\ns_created 1\n# EOF\n'),
    # found by the fuzzer: one series name claimed by two families
    (TEXT, b'# TYPE h_count gauge\nh_count 5\n# TYPE h summary\nh_count 3\nh_sum 1\n'),
]


def slices(text, lines_per_slice=40, limit=6):
    lines = text.split(b'\n')
    out = []
    for start in range(0, len(lines), lines_per_slice):
        chunk = b'\n'.join(lines[start:start + lines_per_slice]).strip(b'\n') + b'\n'
        if chunk.strip():
            out.append(chunk)
        if len(out) == limit:
            break
    return out


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    count = 0
    for path in sorted(glob.glob(os.path.join(PAGES, '*.prom')) + glob.glob(os.path.join(PAGES, '*.om'))):
        om = path.endswith('.om')
        text = open(path, 'rb').read()
        if om:
            text = text.replace(b'# EOF\n', b'')
        for i, chunk in enumerate(slices(text)):
            name = '%s-%d' % (os.path.basename(path), i)
            open(os.path.join(OUT, name), 'wb').write((OM if om else TEXT) + chunk + (b'# EOF\n' if om else b''))
            count += 1
    for i, (option, page) in enumerate(EDGE_CASES):
        open(os.path.join(OUT, 'edge-%02d' % i), 'wb').write(option + page)
        count += 1
    print('%d seed inputs in %s' % (count, OUT))


if __name__ == '__main__':
    main()
