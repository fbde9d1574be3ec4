#!/bin/sh
# layers.sh -- the include rule of DEVELOPERS.md, checked (`make layers`).
#
# The library's layers, lowest first: base, transforms, etl, reports, cli.
# A file may include headers of its own layer and of the layers below it,
# never above: data and calls flow one way.  Prints every include that runs
# upward, as FILE:LINE: what, and exits 1 when there is one.
cd "$(dirname "$0")/.." || exit 2
rank() {
    case "$1" in
    base) echo 0 ;; transforms) echo 1 ;; etl) echo 2 ;; reports) echo 3 ;; cli) echo 4 ;;
    *) echo -1 ;;
    esac
}
bad=0
for dir in base transforms etl reports cli; do
    mine=$(rank "$dir")
    for f in "$dir"/*.c "$dir"/*.h; do
        [ -f "$f" ] || continue
        # "#include "layer/name.h"" lines with their numbers
        out=$(grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"[a-z]*/' "$f" |
            while IFS= read -r line; do
                num=${line%%:*}
                inc=$(printf '%s\n' "$line" | sed 's/.*include[[:space:]]*"\([^"]*\)".*/\1/')
                layer=${inc%%/*}
                theirs=$(rank "$layer")
                if [ "$theirs" -gt "$mine" ]; then
                    echo "$f:$num: includes $inc: $layer is above $dir (cli -> reports -> etl -> transforms -> base)"
                fi
            done)
        if [ -n "$out" ]; then
            printf '%s\n' "$out" >&2
            bad=1
        fi
    done
done
if [ "$bad" -ne 0 ]; then
    echo "make layers: includes that run upward (above); move the code to the right layer" >&2
    exit 1
fi
echo "make layers: every include runs down (cli -> reports -> etl -> transforms -> base)"
