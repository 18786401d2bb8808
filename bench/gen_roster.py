#!/usr/bin/env python3
"""gen_roster.py — a census roster (普查表) of N person rows for the import
benchmark, as CSV (UTF-8) or XLSX, written as a stream (memory flat in N).

  python3 bench/gen_roster.py ROWS OUT.csv|OUT.xlsx [--inline]

Households of 1 to 5 people (3 on average) in file order, every ID number
valid (GB 11643 check character) and unique within the file.  XLSX: text in
shared strings as Excel writes it, or with --inline as inline strings (as
libxlsxwriter's constant_memory mode writes them); incomes as numbers.
Standard library only (zipfile).
"""
import datetime
import random
import sys
import zipfile
from xml.sax.saxutils import escape

HEADER = ['户主身份证号', '姓名', '身份证号', '与户主关系', '月收入(元)', '健康状况',
          '就学阶段', '联系电话', '工作单位', '家庭住址', '致困原因']
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK = '10X98765432'
REGIONS = ['330102', '330105', '330106', '330108', '330109', '330110']
SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗'
GIVEN = '建国秀英磊美华伟芳敏静丽强军洋勇艳杰娟涛明超兰霞平刚桂英'
CAUSES = ['家属患病', '子女就学', '收入低', '单亲', '本人患病', '失业', '家属残疾、收入低']
RELATIONS = ['配偶', '子女', '子女', '父母']


def id_number(n):
    """The n-th ID number: a distinct (region, birth date, sequence) per n."""
    region = REGIONS[n % len(REGIONS)]
    n //= len(REGIONS)
    day = n % 18000            # about 49 years of birth dates from 1955
    seq = n // 18000 % 1000
    bd = datetime.date(1955, 1, 1) + datetime.timedelta(days=day)
    y, m, d = bd.year, bd.month, bd.day
    first = '%s%04d%02d%02d%03d' % (region, y, m, d, seq)
    s = sum(int(c) * w for c, w in zip(first, WEIGHTS))
    return first + CHECK[s % 11]


def rows(total, rnd):
    """Yields person rows, households kept together."""
    n = 0
    hh = 0
    while n < total:
        size = min(rnd.randint(1, 5), total - n)
        head = id_number(n)
        hh += 1
        name = rnd.choice(SURNAMES) + rnd.choice(GIVEN) + rnd.choice(GIVEN)
        yield [head, name, head, '本人', '%d.%02d' % (rnd.randint(800, 3500), rnd.randint(0, 99)),
               '良好', '', '138%08d' % (hh % 100000000), '杭州第%d机械厂' % (hh % 500),
               '上城区望江街道%d号' % hh, rnd.choice(CAUSES)]
        for i in range(1, size):
            rel = RELATIONS[(i - 1) % len(RELATIONS)]
            yield [head, rnd.choice(SURNAMES) + rnd.choice(GIVEN), id_number(n + i), rel,
                   '0' if rel != '配偶' else str(rnd.randint(0, 2000)), '慢性病' if i == 1 else '良好',
                   '小学' if rel == '子女' else '', '', '', '', '']
        n += size


def write_csv(path, total, rnd):
    with open(path, 'w', encoding='utf-8', newline='') as f:
        f.write(','.join(HEADER) + '\r\n')
        for r in rows(total, rnd):
            f.write(','.join(r) + '\r\n')


def col(i):
    s = ''
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


PARTS = {
    '[Content_Types].xml':
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        '</Types>',
    '_rels/.rels':
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        '</Relationships>',
    'xl/workbook.xml':
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="普查表" sheetId="1" r:id="rId1"/></sheets></workbook>',
    'xl/_rels/workbook.xml.rels':
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
        '</Relationships>',
}


def write_xlsx(path, total, rnd, inline):
    sst, idx = [], {}
    with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED, allowZip64=True) as z:
        for name, text in PARTS.items():
            z.writestr(name, text)
        with z.open('xl/worksheets/sheet1.xml', 'w', force_zip64=True) as f:
            f.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
            out = []
            for r, row in enumerate(_with_header(rows(total, rnd)), 1):
                cells = []
                for c, v in enumerate(row):
                    if v == '':
                        continue
                    ref = col(c) + str(r)
                    if r > 1 and c == 4:
                        cells.append('<c r="%s"><v>%s</v></c>' % (ref, v))
                    elif inline:
                        cells.append('<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % (ref, escape(v)))
                    else:
                        i = idx.get(v)
                        if i is None:
                            i = idx[v] = len(sst)
                            sst.append(v)
                        cells.append('<c r="%s" t="s"><v>%d</v></c>' % (ref, i))
                out.append('<row r="%d">%s</row>' % (r, ''.join(cells)))
                if len(out) >= 2000:
                    f.write(''.join(out).encode())
                    out = []
            f.write(''.join(out).encode())
            f.write(b'</sheetData></worksheet>')
        with z.open('xl/sharedStrings.xml', 'w', force_zip64=True) as f:
            f.write(('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                     '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                     'count="%d" uniqueCount="%d">' % (len(sst), len(sst))).encode())
            for k in range(0, len(sst), 5000):
                f.write(''.join('<si><t>%s</t></si>' % escape(s) for s in sst[k:k + 5000]).encode())
            f.write(b'</sst>')


def _with_header(it):
    yield HEADER
    yield from it


def main():
    args = [a for a in sys.argv[1:] if not a.startswith('--')]
    if len(args) != 2:
        sys.exit(__doc__)
    total, path = int(args[0]), args[1]
    rnd = random.Random(1)
    if path.endswith('.xlsx'):
        write_xlsx(path, total, rnd, '--inline' in sys.argv)
    else:
        write_csv(path, total, rnd)


if __name__ == '__main__':
    main()
