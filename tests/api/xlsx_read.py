#!/usr/bin/env python3
"""xlsx_read.py FILE — a workbook as JSON on stdout, for the API tests.

Python stdlib only (zipfile + xml.etree): an independent reader, so the tests
do not check bangfu's workbooks with bangfu's own code.

  {"sheets": [{"name", "cells": {"A1": {"v": 1.5 | "text" | true, "f": "SUM(..)"|null,
                                        "text": "1.5" (number cells only: the <v> as written)}},
               "pane": {"xSplit", "ySplit", "state", "topLeftCell"} | null,
               "merges": ["A1:F1"], "validations": [{"sqref", "type", "list", "errorStyle"}],
               "cols": [{"min", "max", "width"}]}]}

xlsx_read.py --fill IN OUT < rows.json — IN with the rows below the header
of its first sheet replaced by rows.json (a list of lists of strings, written
as inline strings), saved as OUT: a filled-in import template.
"""
import json
import re
import posixpath
import sys
import zipfile
import xml.etree.ElementTree as ET

NS = {
    'm': 'http://schemas.openxmlformats.org/spreadsheetml/2006/main',
    'r': 'http://schemas.openxmlformats.org/officeDocument/2006/relationships',
    'rel': 'http://schemas.openxmlformats.org/package/2006/relationships',
}


def text_of(el):
    """The text of an <si> or <is>: every <t>, rich-text runs included."""
    return ''.join(t.text or '' for t in el.iter('{%s}t' % NS['m']))


def read(path):
    z = zipfile.ZipFile(path)
    shared = []
    if 'xl/sharedStrings.xml' in z.namelist():
        root = ET.fromstring(z.read('xl/sharedStrings.xml'))
        shared = [text_of(si) for si in root.findall('m:si', NS)]
    rels = ET.fromstring(z.read('xl/_rels/workbook.xml.rels'))
    target = {r.get('Id'): r.get('Target') for r in rels.findall('rel:Relationship', NS)}
    wb = ET.fromstring(z.read('xl/workbook.xml'))
    sheets = []
    for s in wb.findall('m:sheets/m:sheet', NS):
        t = target[s.get('{%s}id' % NS['r'])]
        p = t.lstrip('/') if t.startswith('/') else posixpath.normpath(posixpath.join('xl', t))
        root = ET.fromstring(z.read(p))
        cells = {}
        for c in root.iter('{%s}c' % NS['m']):
            typ = c.get('t')
            v = c.find('m:v', NS)
            f = c.find('m:f', NS)
            if typ == 's':
                val = shared[int(v.text)]
            elif typ == 'inlineStr':
                val = text_of(c.find('m:is', NS))
            elif typ == 'str':
                val = v.text if v is not None else ''
            elif typ == 'b':
                val = v is not None and v.text == '1'
            elif v is not None and v.text is not None:
                val = float(v.text)
            else:
                val = None
            if val is None and f is None:
                continue
            cells[c.get('r')] = {'v': val, 'f': f.text if f is not None else None}
            if isinstance(val, float):
                cells[c.get('r')]['text'] = v.text
        pane = root.find('m:sheetViews/m:sheetView/m:pane', NS)
        dvs = []
        for dv in root.findall('m:dataValidations/m:dataValidation', NS):
            f1 = dv.find('m:formula1', NS)
            lst = None
            if f1 is not None and f1.text and f1.text.startswith('"'):
                lst = f1.text.strip('"').split(',')
            dvs.append({'sqref': dv.get('sqref'), 'type': dv.get('type'), 'list': lst,
                        'errorStyle': dv.get('errorStyle') or 'stop'})
        sheets.append({
            'name': s.get('name'),
            'cells': cells,
            'pane': None if pane is None else {k: pane.get(k) for k in ('xSplit', 'ySplit', 'state', 'topLeftCell')},
            'merges': [m.get('ref') for m in root.findall('m:mergeCells/m:mergeCell', NS)],
            'validations': dvs,
            'cols': [{'min': int(c.get('min')), 'max': int(c.get('max')), 'width': float(c.get('width'))}
                     for c in root.findall('m:cols/m:col', NS)],
        })
    return {'sheets': sheets}


def esc(t):
    return t.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')


def col_name(i):
    n = ''
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        n = chr(65 + r) + n
    return n


def fill(src, dst, rows):
    z = zipfile.ZipFile(src)
    sheet = 'xl/worksheets/sheet1.xml'
    xml = z.read(sheet).decode('utf-8')
    m = re.search(r'<sheetData>(.*?</row>)(.*)</sheetData>', xml, re.S)
    body = ''.join(
        '<row r="%d">%s</row>' % (r + 2, ''.join(
            '<c r="%s%d" t="inlineStr"><is><t>%s</t></is></c>' % (col_name(c), r + 2, esc(v))
            for c, v in enumerate(row) if v != ''))
        for r, row in enumerate(rows))
    xml = xml[:m.start(2)] + body + xml[m.end(2):]
    with zipfile.ZipFile(dst, 'w', zipfile.ZIP_DEFLATED) as out:
        for item in z.infolist():
            out.writestr(item, xml if item.filename == sheet else z.read(item.filename))


if __name__ == '__main__':
    if sys.argv[1] == '--fill':
        fill(sys.argv[2], sys.argv[3], json.load(sys.stdin))
    else:
        json.dump(read(sys.argv[1]), sys.stdout, ensure_ascii=False)
