#!/bin/sh
# embed.sh NAME FILE... — writes a C file holding each FILE as a
# NUL-terminated string: `const struct embedded NAME[]`, ended by {0}.
name=$1; shift
echo '#include "core/embed.h"'
i=0
for f in "$@"; do
	echo "static const char ${name}_$i[] = {"
	od -An -v -tx1 "$f" | sed 's/ *\([0-9a-f][0-9a-f]\)/0x\1,/g'
	echo "0x00};"
	i=$((i+1))
done
echo "const struct embedded ${name}[] = {"
i=0
for f in "$@"; do
	sz=$(wc -c < "$f")
	echo "	{\"$(basename "$f")\", ${name}_$i, $sz},"
	i=$((i+1))
done
echo "	{0, 0, 0}"
echo "};"
