#!/bin/sh
# embed_web.sh DIR — writes a C file embedding every file under DIR (and a
# gzip -9 copy of each compressible one) with .incbin: the table
# `webassets[]` maps "/path" to its bytes.  An empty DIR gives an empty table.
set -e
dir=$1
gzdir=build/gen/webgz
rm -rf "$gzdir"
mkdir -p "$gzdir"
echo '#include "core/embed.h"'
echo '#include <stddef.h>'
i=0
list=""
for f in $(cd "$dir" 2>/dev/null && find . -type f ! -name '.stamp' ! -path './.vite/*' | sed 's|^\./||' | sort); do
	src="$dir/$f"
	size=$(wc -c < "$src")
	gz=""
	gzsize=0
	case "$f" in
	*.js|*.css|*.html|*.svg|*.json|*.txt|*.map|*.mjs)
		mkdir -p "$gzdir/$(dirname "$f")"
		gzip -9 -n -c "$src" > "$gzdir/$f.gz"
		gz="$gzdir/$f.gz"
		gzsize=$(wc -c < "$gz")
		;;
	esac
	printf '__asm__(".pushsection .rodata\\n.balign 16\\nwa_%d:\\n.incbin \\"%s\\"\\n.byte 0\\n.popsection\\n");\n' "$i" "$src"
	echo "extern const char wa_$i[] __asm__(\"wa_$i\");"
	if [ -n "$gz" ]; then
		printf '__asm__(".pushsection .rodata\\n.balign 16\\nwz_%d:\\n.incbin \\"%s\\"\\n.popsection\\n");\n' "$i" "$gz"
		echo "extern const char wz_$i[] __asm__(\"wz_$i\");"
		list="$list	{\"/$f\", wa_$i, $size, wz_$i, $gzsize},
"
	else
		list="$list	{\"/$f\", wa_$i, $size, NULL, 0},
"
	fi
	i=$((i+1))
done
echo "const struct web_asset webassets[] = {"
printf '%s' "$list"
echo "	{NULL, NULL, 0, NULL, 0}"
echo "};"
