#!/usr/bin/env python3
"""Generates the fuzzers' seed corpora into fuzz/seeds/<target>/.

The seeds come from the Windows-recorded vectors
(../shared/conformance/windows-sddl.jsonl beside the repository: SDDL
strings and the hex of their binary form) and from the bundled
fixtures/*.json. They are generated each run, never committed.
"""
import hashlib
import json
import os
import re
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
VECTORS = os.environ.get(
    "SECCTX_VECTORS", os.path.join(ROOT, "..", "shared", "conformance", "windows-sddl.jsonl")
)
OUT = os.path.join(HERE, "seeds")
LIMIT = int(os.environ.get("SEED_LIMIT", "600"))  # seeds per target from the vectors
DOMAIN = "S-1-5-21-1-2-3"


def write(target, data):
    if isinstance(data, str):
        data = data.encode()
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def conditions(sddl):
    """The balanced `(...)` groups that follow a `;`: conditional
    expressions of callback ACEs (and resource attributes)."""
    out = []
    i = 0
    while True:
        i = sddl.find(";(", i)
        if i < 0:
            return out
        start, depth = i + 1, 0
        for j in range(start, len(sddl)):
            if sddl[j] == "(":
                depth += 1
            elif sddl[j] == ")":
                depth -= 1
                if depth == 0:
                    out.append(sddl[start : j + 1])
                    break
        i += 1


def access_header(flags, more, desired, user, groups, privs, integrity):
    h = bytes([flags, more]) + struct.pack("<I", desired) + bytes([user, len(groups)])
    for sid, attrs in groups:
        h += bytes([sid, attrs])
    return h + struct.pack("<I", privs) + bytes([integrity])


def main():
    sddls, hexes = [], []
    if os.path.exists(VECTORS):
        with open(VECTORS) as f:
            for line in f:
                v = json.loads(line)
                sddls.append(v["sddl"])
                if "sddl_out" in v:
                    sddls.append(v["sddl_out"])
                if "sd_hex" in v:
                    hexes.append(v["sd_hex"])
    else:
        print(f"seeds: no vectors at {VECTORS}; using the fixtures and built-in seeds", file=sys.stderr)
    sddls += [
        "O:BAG:SYD:(A;;FA;;;BA)(A;;FR;;;WD)",
        "O:SYG:SYD:(A;;FA;;;PS)",
        "O:BAG:BAD:(XA;;FR;;;WD;(@User.Dept == \"Sales\"))",
        "O:BAG:BAD:(XD;;FW;;;WD;(Member_of {SID(BA)}))S:(ML;;NW;;;LW)",
        "O:BAG:BAS:(RA;;;;;WD;(\"Project\",TS,0,\"X\"))",
        "O:BAG:BAD:(OA;;CR;01010101-0101-0101-0101-010101010101;;WD)",
    ]
    # Dedupe, keep the order, spread the limit over the whole file.
    sddls = list(dict.fromkeys(sddls))
    step = max(1, len(sddls) // LIMIT)
    picked = sddls[::step][:LIMIT] + sddls[-6:]
    hexes = list(dict.fromkeys(hexes))
    hstep = max(1, len(hexes) // LIMIT)
    for s in picked:
        write("sddl_parse", s)
        for c in conditions(s):
            write("condition", b"\x00" + c.encode())
    for h in hexes[::hstep][:LIMIT]:
        write("binary_decode", bytes.fromhex(h))
    for k, s in enumerate(picked[: LIMIT // 2]):
        groups = [(0, 0x07), (2, 0x07), (1 + k % 7, 0x10 if k % 3 == 0 else 0x07)]
        desired = [0x0200_0000, 0x0012_0089, 0x1, 0x8000_0000][k % 4]
        write("access_check", access_header(0x01, 0, desired, 20 + k % 2, groups, 0, 2) + s.encode())
        write("access_check", access_header(0x05 | (0x08 if k % 2 else 0), 0x20, desired, 3, groups, 0xFFFF, 4) + s.encode())
        line = {
            "id": k,
            "sd": s,
            "token": {"user": DOMAIN + "-1000", "groups": ["WD", "BU", "AU"] + (["BA"] if k % 2 else [])},
            "desired": ["0x2000000", "0x120089", "FR", "GENERIC_READ"][k % 4],
            "mapping": "file",
            "domain_sid": DOMAIN,
        }
        if k % 5 == 0:
            line["self_sid"] = "WD"
        write("check_line", json.dumps(line))
    fixtures = os.path.join(ROOT, "fixtures")
    for name in sorted(os.listdir(fixtures)):
        if name.endswith(".json"):
            with open(os.path.join(fixtures, name), "rb") as f:
                text = f.read()
            write("fixture", text)
            # The fixtures' SDDL strings and their conditions seed too.
            for m in re.finditer(rb'"((?:[OGDS]:)(?:[^"\\]|\\.)*)"', text):
                s = json.loads(b'"' + m.group(1) + b'"')
                write("sddl_parse", s)
                for c in conditions(s):
                    write("condition", b"\x00" + c.encode())
    for t in sorted(os.listdir(OUT)):
        print(f"seeds: {t}: {len(os.listdir(os.path.join(OUT, t)))}")


if __name__ == "__main__":
    main()
