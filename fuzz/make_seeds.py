#!/usr/bin/env python3
"""Writes the fuzz targets' seed corpus (fuzz/corpus/<target>/) and dictionaries (fuzz/*.dict)
from the project's own files: the example models, a sample of the shared cases' models, the
default rule pack split into one-rule packs, and the key names and enum values of the model and
rule-pack JSON Schemas. Run from anywhere: python3 fuzz/make_seeds.py
"""

import hashlib
import json
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FUZZ = ROOT / "fuzz"
PACK = ROOT / "rules" / "iso42001-4.4"

# One shared case in this many (in name order) is a seed, with every error case.
CASE_STRIDE = 4


def minified(path: Path) -> bytes:
    return json.dumps(json.loads(path.read_text("utf-8")), separators=(",", ":"),
                      ensure_ascii=False).encode()


def write(target: str, name: str, data: bytes) -> None:
    out = FUZZ / "corpus" / target
    out.mkdir(parents=True, exist_ok=True)
    (out / name).write_bytes(data)


def model_seeds() -> list[tuple[str, bytes]]:
    seeds = []
    # The examples, minified (the same models, a third smaller).
    for path in sorted((ROOT / "examples").glob("*.json")):
        seeds.append((f"example-{path.stem}.json", minified(path)))
    # Shared cases as written (indented: positions and line numbers are exercised too).
    cases = sorted(p for p in (ROOT / "tests" / "cases").iterdir() if p.is_dir())
    for i, case in enumerate(cases):
        if i % CASE_STRIDE == 0 or case.name.startswith("error-"):
            seeds.append((f"case-{case.name}.json", (case / "model.json").read_bytes()))
    # A few hand-made edges: a byte-order mark, deep nesting, a null member, 2.0 for 2.
    seeds += [
        ("bom.json", '\ufeff{"schema_version": "1.0"}'.encode()),
        ("deep.json", b'{"schema_version":"1.0","x":' + b"[" * 70 + b"]" * 70 + b"}"),
        ("null-member.json", b'{"schema_version":"1.0","organization":null}'),
        ("float-int.json", b'{"schema_version":"1.0","organization":{"name":"A","size_tier":"startup","headcount":2.0}}'),
    ]
    return seeds


def pack_seeds() -> list[tuple[str, bytes]]:
    manifest = minified(PACK / "pack.json")
    seeds = [("manifest-only.pack", manifest)]
    for path in sorted(PACK.glob("*.json")):
        if path.name == "pack.json":
            continue
        doc = json.loads(path.read_text("utf-8"))
        if "rules" in doc:
            for rule in doc["rules"]:
                one = json.dumps({"rules": [rule]}, separators=(",", ":"), ensure_ascii=False)
                seeds.append((f"rule-{rule['id']}.pack", manifest + b"\0" + one.encode()))
        else:
            seeds.append((f"{path.stem}.pack", manifest + b"\0" + minified(path)))
    # A whole rule file, and two files with the same rule (a duplicate id across files).
    seeds.append(("file-E-operation.pack", manifest + b"\0" + minified(PACK / "E-operation.json")))
    first = json.loads((PACK / "A-processes.json").read_text("utf-8"))["rules"][0]
    one = json.dumps({"rules": [first]}, separators=(",", ":")).encode()
    seeds.append(("duplicate-across-files.pack", manifest + b"\0" + one + b"\0" + one))
    return seeds


def edit_seeds() -> list[tuple[str, bytes]]:
    # Byte strings that the edit decoder reads as a seed choice and up to about a dozen edits.
    # libFuzzer grows inputs past the longest seed only slowly, and this target runs at tens of
    # inputs a second: short seeds would keep it at a few edits per model.
    seeds = []
    for n in range(8):
        noise = hashlib.sha256(f"edits-{n}".encode()).digest() * 2
        seeds.append((f"edits-{n}.bin", bytes([n]) + noise[: 8 * n]))
    return seeds


def schema_words(path: Path) -> tuple[set[str], set[str]]:
    keys: set[str] = set()
    strings: set[str] = set()

    def walk(v: object) -> None:
        if isinstance(v, dict):
            for k, x in v.items():
                if k == "properties" and isinstance(x, dict):
                    keys.update(x.keys())
                if k in ("enum", "const"):
                    strings.update(e for e in (x if isinstance(x, list) else [x])
                                   if isinstance(e, str))
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)

    walk(json.loads(path.read_text("utf-8")))
    return keys, strings


def member_names(v: object) -> set[str]:
    if isinstance(v, dict):
        return set(v.keys()).union(*(member_names(x) for x in v.values()))
    if isinstance(v, list):
        return set().union(*(member_names(x) for x in v))
    return set()


def dict_entry(token: str) -> str:
    out = []
    for b in token.encode():
        if b in (0x22, 0x5C) or b < 0x20 or b > 0x7E:
            out.append(f"\\x{b:02X}")
        else:
            out.append(chr(b))
    return '"' + "".join(out) + '"'


def write_dict(name: str, keys: set[str], strings: set[str]) -> None:
    json_tokens = ["{", "}", "[", "]", ":", ",", '""', "null", "true", "false", "-0",
                   "1e309", "0.5", "\\u0000", "\\ud800", "2026-06-30", "2026-02-29",
                   '"schema_version":"1.0"']
    lines = [f"# {name}: JSON tokens, then the schema's member names and string values."]
    lines += [dict_entry(t) for t in json_tokens]
    lines += [dict_entry(f'"{k}":') for k in sorted(keys)]
    lines += [dict_entry(f'"{s}"') for s in sorted(strings - keys)]
    (FUZZ / name).write_text("\n".join(lines) + "\n", "utf-8")


def main() -> None:
    corpus = FUZZ / "corpus"
    if corpus.exists():
        shutil.rmtree(corpus)
    for name, data in model_seeds():
        write("load_model", name, data)
        # Evaluating and exporting an example takes seconds under AddressSanitizer (a
        # 50-230 KB model gives a large report in every format): the evaluate target starts
        # from the small models only, at hundreds of runs a second.
        if not name.startswith("example-"):
            write("evaluate", name, data)
    for name, data in pack_seeds():
        write("load_pack", name, data)
    for name, data in edit_seeds():
        write("evaluate_edits", name, data)
    model_keys, model_strings = schema_words(ROOT / "core" / "schema" / "model.schema.json")
    write_dict("model.dict", model_keys, model_strings)
    pack_keys, pack_strings = schema_words(ROOT / "rules" / "rule-pack.schema.json")
    # The rule language's operators are not in the schema: take every member name the
    # default pack uses.
    for path in PACK.glob("*.json"):
        pack_keys |= member_names(json.loads(path.read_text("utf-8")))
    write_dict("pack.dict", pack_keys | model_keys, pack_strings | model_strings)


if __name__ == "__main__":
    main()
