#!/usr/bin/env python3
"""Prints the Markdown results tables of the `translation` bench from criterion's saved estimates.

Usage: python3 bench/table.py [CRITERION_DIR]   (default: $CARGO_TARGET_DIR/criterion, else target/criterion)

Times are criterion's median estimate of the last run; MB/s is 10^6 bytes of upstream (input) per second; ratios
divide by the same-format baseline of the same run (the passthrough of the same upstream or client format).
"""

import json
import os
import sys
from pathlib import Path


def load(root: Path) -> dict:
    results = {}
    for bench in root.glob("**/new/benchmark.json"):
        meta = json.loads(bench.read_text())
        estimates = json.loads((bench.parent / "estimates.json").read_text())
        results[meta["full_id"]] = (estimates["median"]["point_estimate"], meta.get("throughput", {}).get("Bytes"))
    return results


def main() -> None:
    default = Path(os.environ.get("CARGO_TARGET_DIR", "target")) / "criterion"
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else default
    r = load(root)
    if not r:
        sys.exit(f"no criterion results under {root}")

    print("| stream | input | time | MB/s | × passthrough |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for upstream in ("anthropic", "openai_chat", "gemini"):
        base_ns, size = r[f"stream/passthrough/{upstream}"]
        rows = [(f"passthrough {upstream} (baseline)", f"stream/passthrough/{upstream}"),
                (f"framing only {upstream}", f"stream/frame_only/{upstream}")]
        rows += [(k.split("/")[-1].replace("_to_", " → "), k) for k in sorted(r)
                 if k.startswith(f"stream/translate/{upstream}_to_")]
        for label, key in rows:
            ns, _ = r[key]
            print(f"| {label} | {size / 1e3:.0f} KB | {ns / 1e6:.2f} ms | {size / (ns / 1e9) / 1e6:.0f} | "
                  f"{ns / base_ns:.2f} |")

    print()
    print("| request | input | time | × passthrough | with the pipeline's `Value` pre-parse, × passthrough |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for client in ("anthropic", "openai_chat"):
        base_ns, size = r[f"request/passthrough/{client}"]
        parse_ns, _ = r[f"request/parse_value/{client}"]
        rows = [(f"passthrough {client} (baseline)", f"request/passthrough/{client}"),
                (f"parse to `Value` only, {client}", f"request/parse_value/{client}"),
                (f"decode {client} → IR only", f"request/decode/{client}")]
        rows += [(k.split("/")[-1].replace("_to_", " → "), k) for k in sorted(r)
                 if k.startswith(f"request/translate/{client}_to_")]
        for label, key in rows:
            ns, _ = r[key]
            piped = f"{(ns + parse_ns) / base_ns:.2f}" if key.startswith("request/translate/") else ""
            print(f"| {label} | {size / 1e3:.0f} KB | {ns / 1e3:.0f} µs | {ns / base_ns:.2f} | {piped} |")


if __name__ == "__main__":
    main()
