#!/usr/bin/env bash
# (Re)writes the seed inputs of fuzz/corpus/<target>/ from shared/tests/fixtures/** and the hand-made cases in
# fuzz/seeds/, under their own names; inputs the fuzzer found (named by SHA-1) are left alone.
# Stream targets get a 2-byte prefix (chunking seed, encoder options), sse_framer 3 bytes, gemini_envelope 1 byte
# and error_decoders a big-endian HTTP status: see fuzz/src/lib.rs for each target's input layout.
set -euo pipefail
cd "$(dirname "$0")"
fixtures=../shared/tests/fixtures
mkdir -p corpus

# put <target> <name> <prefix as printf escapes> <file>
put() {
  mkdir -p "corpus/$1"
  { printf "$3"; cat "$4"; } >"corpus/$1/$2"
}

for fmt in openai_chat anthropic openai_responses gemini; do
  for kind in requests responses streams; do
    for f in "$fixtures/$fmt/$kind"/* "seeds/$kind/$fmt"/*; do
      [ -f "$f" ] || continue
      base=$(basename "$f")
      case $kind in
        requests) put "${fmt}_request" "$base" '' "$f" ;;
        responses) put "${fmt}_response" "$base" '' "$f" ;;
        streams)
          put "${fmt}_stream" "whole-$base" '\x00\x00' "$f"
          put "${fmt}_stream" "chunked-$base" '\x07\x03' "$f"
          put sse_framer "$fmt-$base" '\x20\x00\x05' "$f"
          ;;
      esac
    done
  done
done

put gemini_envelope code_assist.sse '\x00' "$fixtures/gemini/streams/code_assist.sse"
put gemini_envelope code_assist-chunked.sse '\x0b' "$fixtures/gemini/streams/code_assist.sse"
printf '\x00{"response":{"candidates":[{"content":{"role":"model","parts":[{"text":"hi"}]},"finishReason":"STOP"}]},"traceId":"t"}' \
  >corpus/gemini_envelope/response.json
printf '\x00{"error":{"code":429,"message":"quota","status":"RESOURCE_EXHAUSTED"}}' >corpus/gemini_envelope/error.json

for f in seeds/errors/*; do
  base=$(basename "$f")
  for status in '\x01\x90' '\x01\xad' '\x02\x11' '\x01\xf4'; do # 400, 429, 529, 500
    put error_decoders "$base-$(printf '%s' "$status" | tr -d '\\x')" "$status" "$f"
  done
done

for f in seeds/misc/*; do put misc_parsers "$(basename "$f")" '' "$f"; done

# Upstream-only dialects. aws_eventstream: flags (bit 0 = fix CRCs), split point (2 bytes), chunking seed;
# kiro_stream: chunking seed, encoder options, then a kiro_script; upstream_aggregate: upstream format index
# (0 Chat, 1 Anthropic, 2 Responses, 3 Gemini, 4 Code Assist, 5 Kiro script), chunking seed.
for f in seeds/eventstream/*; do
  base=$(basename "$f")
  put aws_eventstream "whole-$base" '\x00\x00\x00\x00' "$f"
  put aws_eventstream "fixed-split-$base" '\x01\x21\x00\x05' "$f"
done
for f in seeds/kiro/*; do
  base=$(basename "$f")
  put kiro_stream "whole-$base" '\x00\x00' "$f"
  put kiro_stream "chunked-$base" '\x09\x01' "$f"
  put upstream_aggregate "kiro-$base" '\x05\x03' "$f"
done
i=0
for fmt in openai_chat anthropic openai_responses gemini; do
  for f in "$fixtures/$fmt/streams"/*; do
    [ -f "$f" ] || continue
    put upstream_aggregate "$fmt-$(basename "$f")" "\\x0$i\\x04" "$f"
  done
  i=$((i + 1))
done
put upstream_aggregate code_assist.sse '\x04\x02' "$fixtures/gemini/streams/code_assist.sse"
du -sh corpus
