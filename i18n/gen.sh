#!/bin/sh
# Writes the C source of the compiled catalogues to standard output.
# Usage: gen.sh I18N_DIR
# Each language is a folder (i18n/en, i18n/es, ...) of *.cat files, one
# per component; English must exist.  A catalogue line is "key = text";
# blank lines and lines starting with '#' are skipped; in text, \n
# stands for a new line.  A key defined twice in one language is an error,
# and so is a key one language has and another lacks.
set -eu
dir=$1
tab=$(printf '\t')

# The keys of one language, sorted.
keys() {
	cat "$dir/$1"/*.cat | LC_ALL=C awk '
		/^[ \t]*#/ || /^[ \t]*$/ { next }
		{ k = substr($0, 1, index($0, "=") - 1)
		  gsub(/^[ \t]+|[ \t]+$/, "", k); print k }' | LC_ALL=C sort -u
}

echo '/* Generated from the i18n catalogues by i18n/gen.sh: do not edit. */'
echo '#include <stddef.h>'
echo 'struct i18n_entry { const char *key; const char *text; };'
echo 'struct i18n_catalogue { const char *lang;'
echo '	const struct i18n_entry *entries; size_t count; };'
langs="en"
for d in "$dir"/*/; do
	l=$(basename "$d")
	[ "$l" = en ] || langs="$langs $l"
done
en_keys=$(keys en)
for lang in $langs; do
	other=$(keys "$lang")
	if [ "$other" != "$en_keys" ]; then
		echo "i18n: $lang and en differ in keys:" >&2
		printf '%s\n' "$en_keys" >"${TMPDIR:-/tmp}/i18n.$$.en"
		printf '%s\n' "$other" | LC_ALL=C comm -3 \
			"${TMPDIR:-/tmp}/i18n.$$.en" - >&2 || true
		rm -f "${TMPDIR:-/tmp}/i18n.$$.en"
		exit 1
	fi
done
for lang in $langs; do
	echo "static const struct i18n_entry cat_$lang[] = {"
	cat "$dir/$lang"/*.cat | LC_ALL=C awk '
		/^[ \t]*#/ || /^[ \t]*$/ { next }
		{
			i = index($0, "=")
			if (i == 0) { print "bad line: " $0 > "/dev/stderr"; exit 1 }
			k = substr($0, 1, i - 1); v = substr($0, i + 1)
			gsub(/^[ \t]+|[ \t]+$/, "", k)
			gsub(/^[ \t]+|[ \t]+$/, "", v)
			gsub(/\\/, "\\\\", v); gsub(/"/, "\\\"", v)
			gsub(/\\\\n/, "\\n", v)
			print k "\t" v
		}' | LC_ALL=C sort -t "$tab" -k1,1 |
		LC_ALL=C awk -F "$tab" -v lang="$lang" '
		$1 == prev { print "duplicate key " $1 " in " lang > "/dev/stderr"; exit 1 }
		{ prev = $1; printf "\t{\"%s\", \"%s\"},\n", $1, $2 }'
	echo "};"
done
echo 'const struct i18n_catalogue i18n_catalogues[] = {'
for l in $langs; do
	echo "	{\"$l\", cat_$l, sizeof(cat_$l) / sizeof(cat_$l[0])},"
done
echo '};'
echo 'const size_t i18n_ncatalogues = sizeof(i18n_catalogues) /'
echo '	sizeof(i18n_catalogues[0]);'
printf 'const char *const i18n_lang_list[] = {'
for l in $langs; do printf '"%s", ' "$l"; done
echo 'NULL};'
