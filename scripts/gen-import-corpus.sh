#!/usr/bin/env bash
# Regenerates the importer's test corpus in backend/importer/testdata from the
# hand-written sheets in testdata/source: the files real office software
# writes (LibreOffice headless: CSV in several separators and encodings,
# XLSX, ODS, XLS), and the crafted files the tests need besides (other
# encodings and line ends, bad headers, renamed non-spreadsheets). The output
# is checked in; run this only to change the corpus, then review the diff.
# Needs soffice (Debian's libreoffice-calc), iconv and python3.
. "$(dirname "$0")/lib.sh"
out=backend/importer/testdata
src=$out/source
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
profile="file://$work/profile" # a throwaway LibreOffice profile

# lo FILTER SOURCE TARGET: convert one source sheet with LibreOffice.
lo() {
  local filter=$1 source=$2 target=$3 ext=${3##*.}
  rm -rf "$work/out" && mkdir -p "$work/out"
  soffice -env:UserInstallation="$profile" --headless --norestore \
    --convert-to "$filter" --outdir "$work/out" "$source" >/dev/null 2>&1
  local made
  made=$(find "$work/out" -type f | head -n 1)
  [ -n "$made" ] || { echo "LibreOffice did not convert $source to $filter" >&2; exit 1; }
  mv "$made" "$out/$target"
  echo "  $target ($ext, $(stat -c %s "$out/$target") bytes)"
}

say "LibreOffice $(soffice --version | awk '{print $2}'): converting the source sheets"
csv='Text - txt - csv (StarCalc)'
# Filter options: separator, text delimiter (34 = "), character set
# (76 = UTF-8, 1 = Windows-1252, 65535 = UTF-16), first line, cell format,
# language, quote all text cells (true is the default).
lo "csv:$csv:44,34,76,1" "$src/invitations.fods" lo-utf8-comma.csv
lo "csv:$csv:59,34,76,1,,0,true" "$src/invitations.fods" lo-utf8-semicolon.csv
lo "csv:$csv:59,34,1,1,,0,false" "$src/invitations.fods" lo-1252-semicolon.csv
lo "csv:$csv:9,34,65535,1" "$src/invitations.fods" lo-utf16-tab.txt
lo "xlsx:Calc MS Excel 2007 XML" "$src/invitations.fods" lo-invitations.xlsx
lo "xlsx:Calc MS Excel 2007 XML" "$src/two-sheets.fods" lo-two-sheets.xlsx
lo "xlsx:Calc MS Excel 2007 XML" "$src/first-sheet.fods" lo-first-sheet.xlsx
lo "ods:calc8" "$src/invitations.fods" lo-invitations.ods
lo "xls:MS Excel 97" "$src/invitations.fods" lo-invitations.xls

say "Crafting the other files"
# craft NAME: write stdin to the corpus.
craft() { cat >"$out/$1"; echo "  $1 ($(stat -c %s "$out/$1") bytes)"; }

# The LibreOffice CSV, as other programs save it.
{ printf '\xef\xbb\xbf'; sed 's/$/\r/' "$out/lo-utf8-comma.csv"; } | craft utf8-bom-crlf.csv
iconv -f UTF-16LE -t UTF-16BE "$out/lo-utf16-tab.txt" | craft utf16be-tab.txt
tr '\n' '\r' <"$out/lo-utf8-comma.csv" | craft mac-cr.csv

printf '' | craft empty.csv
printf '\xef\xbb\xbf' | craft bom-only.csv
printf '\r\n\r\n   \r\n' | craft blank-only.csv
printf 'email,role\r\n' | craft header-only.csv
printf 'email,role\r\n\r\n , \r\n\t\r\n' | craft header-blank-rows.csv
printf 'e-mail,role,name\r\njane@example.com,User,Jane\r\n' | craft wrong-header.csv
printf 'role,email\r\nUser,jane@example.com\r\n' | craft swapped-header.csv
printf 'email\r\njane@example.com\r\n' | craft one-column.csv
printf ' Email , ROLE ,,\r\njane@example.com,User,,\r\n,,,\r\nbob@example.com,User,,x\r\n' | craft padded-header.csv
printf 'sep=;\r\nemail;role\r\njane@example.com;User\r\n' | craft sep-line.csv
# Quotes: row 3 has a bare quote, row 4 text after a closing quote, row 5
# is fine, row 6 a quoted cell over two lines, row 7 is fine again.
printf 'email,role\njane@example.com,User\nbob"@example.com,User\n"carol@example.com"x,User\ndave@example.com,User\n"erin@example.com\nx",User\nfrank@example.com,User\n' | craft quotes.csv
printf '\n\nemail,role\n\n\njane@example.com,User\n\n"bob@example.com",\n' | craft leading-blank-lines.csv
printf 'email\trole\r\njane@example.com\tUser\r\nbob@example.com\tAdministrator\r\n' | craft utf8-tab.txt

# Not spreadsheets, whatever their names say.
printf '%%PDF-1.4\n%%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n' | craft renamed-pdf.csv
printf '\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00' | craft renamed-png.xlsx
printf '<html><body><table><tr><td>email</td><td>role</td></tr></table></body></html>\n' | craft web-page.xls
printf 'email,role\r\njane@example.com\x00,User\r\n' | craft nul-bytes.csv
python3 - "$out" <<'EOF'
import sys, zipfile
out = sys.argv[1]
# A zip archive that is not a workbook.
with zipfile.ZipFile(f"{out}/renamed-zip.xlsx", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("invitations.csv", "email,role\r\njane@example.com,User\r\n")
# The skeleton of a Word document.
with zipfile.ZipFile(f"{out}/renamed-docx.xlsx", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
    z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
    z.writestr("word/document.xml", '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>')
for name in ("renamed-zip.xlsx", "renamed-docx.xlsx"):
    print(f"  {name}")
EOF

say "Fuzz seeds from the corpus"
python3 - "$out" <<'EOF'
import os, sys
out = sys.argv[1]
def literal(b):
    s = []
    for c in b:
        if c == 0x22: s.append('\\"')
        elif c == 0x5c: s.append('\\\\')
        elif 0x20 <= c < 0x7f: s.append(chr(c))
        elif c == 0x0a: s.append('\\n')
        elif c == 0x0d: s.append('\\r')
        elif c == 0x09: s.append('\\t')
        else: s.append('\\x%02x' % c)
    return '[]byte("' + ''.join(s) + '")'
seeds = {
    "FuzzReadCSV": [f for f in sorted(os.listdir(out)) if f.endswith((".csv", ".txt"))],
    "FuzzReadXLSX": ["lo-invitations.xlsx", "lo-two-sheets.xlsx", "lo-first-sheet.xlsx", "renamed-docx.xlsx"],
}
for fuzz, files in seeds.items():
    d = f"{out}/fuzz/{fuzz}"
    os.makedirs(d, exist_ok=True)
    for f in files:
        data = open(f"{out}/{f}", "rb").read()
        with open(f"{d}/{f.replace('.', '-')}", "w") as w:
            w.write("go test fuzz v1\n" + literal(data) + "\n")
    print(f"  {d}: {len(files)} seeds")
EOF
say "Corpus written to $out"
