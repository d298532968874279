#!/usr/bin/env bash
# Side by side: the samba-parity question (issue 6) asked of Samba's C
# se_access_check and of secctx, in one run, with the ratio
# samba_ns / secctx_ns for each mode, compiled and one-shot (access_check,
# which starts from the plain token and descriptor). Optional; not part of CI.
#
#   bash benches/compare-samba.sh
#
# Needs Debian/Ubuntu's samba-dev and libtalloc-dev (installed with apt when
# missing), gcc and python3. sddl_decode and se_access_check have no
# packaged header; benches/samba/parity.c declares them.
set -euo pipefail
cd "$(dirname "$0")/.."

libdir=$(dirname "$(gcc -print-file-name=libc.so.6)")
samba_lib=""
for d in /usr/lib/x86_64-linux-gnu/samba /usr/lib/aarch64-linux-gnu/samba /usr/lib64/samba /usr/lib/samba "$libdir/samba"; do
    if [ -e "$d/libsamba-security-samba4.so.0" ]; then samba_lib=$d; break; fi
done
if [ -z "$samba_lib" ] || [ ! -e /usr/include/talloc.h ]; then
    echo "== installing samba-dev and libtalloc-dev"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get install -y -q samba-dev libtalloc-dev >/dev/null
    for d in /usr/lib/x86_64-linux-gnu/samba /usr/lib/aarch64-linux-gnu/samba /usr/lib64/samba /usr/lib/samba; do
        if [ -e "$d/libsamba-security-samba4.so.0" ]; then samba_lib=$d; break; fi
    done
fi
[ -n "$samba_lib" ] || { echo "libsamba-security-samba4.so.0 not found" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== building the C harness against $samba_lib/libsamba-security-samba4.so.0"
gcc -O2 -o "$work/parity" benches/samba/parity.c \
    -L"$samba_lib" -l:libsamba-security-samba4.so.0 -ltalloc -Wl,-rpath,"$samba_lib"

echo "== building secctx's benches"
cargo bench --no-run -q 2>/dev/null || cargo bench --no-run

echo "== Samba se_access_check"
"$work/parity" | tee "$work/samba.txt"

echo "== secctx access::decide"
BENCH_FILTER=access/samba-parity BENCH_JSON="$work/secctx.json" cargo bench -q 2>/dev/null \
    | grep samba-parity

echo
python3 - "$work/samba.txt" "$work/secctx.json" <<'PY'
import json, sys
samba = dict((l.split()[0], float(l.split()[1])) for l in open(sys.argv[1]) if l.strip())
# access/samba-parity/<mode> (compiled) and access/samba-parity/<mode>/one-shot.
ours = {r["name"].split("/", 2)[-1]: r["median_ns"] for r in json.load(open(sys.argv[2]))
        if r["name"].count("/") in (2, 3)}
print(f"{'mode':<28} {'samba_ns':>9} {'secctx_ns':>10} {'samba/secctx':>13}")
for mode in ("granted", "denied", "maximum-allowed"):
    for case in (mode, mode + "/one-shot"):
        if case in ours:
            s, o = samba[mode], ours[case]
            print(f"{case:<28} {s:>9.2f} {o:>10.2f} {s / o:>12.1f}x")
PY
