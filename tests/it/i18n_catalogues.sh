#!/bin/bash
# The catalogues: Spanish has every key English has (and no other), and
# addresses the reader one way throughout, as "tú" (the school's own
# voice at the kiosk and by SMS), never as "usted".
. "$(dirname "$0")/../lib.sh"
export LC_ALL=C.UTF-8

keys() {
	cat "$TOP/i18n/$1"/*.cat | grep -v '^[[:space:]]*#' | grep ' = ' |
		sed 's/ *=.*//' | sort
}
keys en >"$T/en"
keys es >"$T/es"
same "Spanish has a text for every English key" "" \
	"$(comm -23 "$T/en" "$T/es" | tr '\n' ' ')"
same "... and no key English lacks" "" \
	"$(comm -13 "$T/en" "$T/es" | tr '\n' ' ')"

# Forms that address the reader as "usted": imperatives, its verbs and
# possessives as they occur in these texts.
usted='\b(Inténtelo|inténtelo|Revise|Revíselo|revíselo|Avise|Escriba|'
usted+='Vuelva|vuelva|Espere|Elija|Dé|Pruebe|Abra|Imprima|Escanee|'
usted+='Indique|Consulte|Compruebe|Guarde|Haga|Póngalo|ejecute|'
usted+='recargue|use|apoyó esta|Su|su cuenta|su sesión|su apoyo|su voz|'
usted+='su respuesta|sumar su|usted|ustedes)\b|¿Está '
grep -v '^[[:space:]]*#' "$TOP"/i18n/es/*.cat | grep -E "$usted" \
	>"$T/usted"
same "no Spanish text says usted" "" "$(cut -d: -f2- "$T/usted" |
	cut -d' ' -f1 | tr '\n' ' ')"

# And the forms the same texts take as "tú" are there.
for t in 'error.storage = .*Inténtalo' 'public.q.answer = Tu respuesta' \
	'staff.forbidden.body = Tu cuenta' 'poster.scan = Escanea' \
	'public.endorse.title = ¿Estás de acuerdo?'; do
	check "tú in: $t" grep -qE "^$t" "$TOP"/i18n/es/common.cat \
		"$TOP"/i18n/es/staff.cat
done
finish
